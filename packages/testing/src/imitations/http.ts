import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request an imitation received, with the status it answered. */
export interface Received {
  readonly method: string
  /** The full URL, on the imitation's base. */
  readonly url: URL
  readonly headers: IncomingHttpHeaders
  /** The form-encoded body (empty for other bodies). */
  readonly form: URLSearchParams
  status?: number
}

/** What an imitation answers. */
export interface Answer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/** A provider imitation listening on 127.0.0.1. */
export interface Imitation {
  /** `http://127.0.0.1:<port>`, with no trailing slash. */
  readonly base: string
  /** Every request received, in order. */
  readonly received: Received[]
  /** The requests to one path, optionally with one method. */
  to(path: string, method?: string): Received[]
  close(): Promise<void>
}

/** The token of a request's `Authorization: Bearer …` header, if it has one. */
export function bearerToken(request: Received): string | undefined {
  return /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
}

/** An answer with a JSON body. */
export function json(status: number, body: object, headers: Record<string, string> = {}): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  }
}

/** An answer with a form-encoded body, as GitHub sends when not asked for JSON. */
export function formAnswer(status: number, body: Readonly<Record<string, unknown>>): Answer {
  const form = new URLSearchParams()
  for (const [key, value] of Object.entries(body)) form.set(key, String(value))
  return {
    status,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form.toString(),
  }
}

/** A page for a person: what a provider shows when it will not redirect back. */
export function page(status: number, text: string): Answer {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text }
}

/** A redirect to `location` with `params` added to its query. */
export function redirect(location: string | URL, params: Record<string, string>): Answer {
  const url = new URL(location)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return { status: 302, headers: { location: url.href } }
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const type = request.headers['content-type'] ?? ''
  return type.includes('application/x-www-form-urlencoded')
    ? new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    : new URLSearchParams()
}

/**
 * Starts an imitation on a free port of 127.0.0.1, answering each request with `handle`
 * (404 when it returns nothing). The caller closes it, with its sockets, when done.
 */
export async function startImitation(
  handle: (request: Received, base: string) => Answer | undefined | Promise<Answer | undefined>,
): Promise<Imitation> {
  const received: Received[] = []
  let base = ''
  const server = createServer(async (request, response) => {
    const record: Received = {
      method: request.method ?? 'GET',
      url: new URL(request.url ?? '/', base),
      headers: request.headers,
      form: await readForm(request),
    }
    received.push(record)
    let answer: Answer
    try {
      answer = (await handle(record, base)) ?? page(404, 'Not Found')
    } catch (error) {
      answer = page(500, error instanceof Error ? error.message : 'imitation failed')
    }
    record.status = answer.status
    response.writeHead(answer.status, { 'cache-control': 'no-store', ...answer.headers })
    response.end(answer.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return {
    base,
    received,
    to: (path, method) =>
      received.filter(
        (request) =>
          request.url.pathname === path && (method === undefined || request.method === method),
      ),
    close,
  }
}
