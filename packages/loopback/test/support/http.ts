import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'

/** What a request to the receiver got back. */
export interface Answer {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** Options of {@link send}. */
export interface SendOptions {
  readonly method?: string
  /** Headers to send; `host` overrides the one taken from the URL. */
  readonly headers?: Record<string, string>
  readonly body?: string
}

/**
 * One HTTP request on a connection of its own, with no redirect followed: what a browser,
 * a script or an attacker can send, including the `Host` header and methods fetch forbids.
 */
export function send(url: URL | string, options: SendOptions = {}): Promise<Answer> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    request.on('error', reject)
    request.end(options.body)
  })
}
