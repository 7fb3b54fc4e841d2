import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'

/** What a forward proxy passed on: `CONNECT host:port`, or `GET http://host/path` (no query). */
export interface ForwardedRequest {
  readonly method: string
  /** `host:port` for a tunnel, the origin and path for a plain request. */
  readonly target: string
}

/** A running forward proxy. */
export interface ForwardProxy {
  /** Its address, e.g. `http://127.0.0.1:41234`, for `HTTPS_PROXY` or `HTTP_PROXY`. */
  readonly url: string
  /** Every request it forwarded, in order. */
  readonly forwarded: ForwardedRequest[]
  /** Stops it and closes every connection, tunnels included. */
  close(): Promise<void>
}

/** Only loopback targets: a test proxy must never reach the network. */
function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '[::1]' || host === '::1' || host === 'localhost'
}

function forwardPlain(req: IncomingMessage, res: ServerResponse, forwarded: ForwardedRequest[]) {
  let target: URL
  try {
    target = new URL(req.url ?? '')
  } catch {
    res.writeHead(400).end()
    return
  }
  if (target.protocol !== 'http:' || !isLoopback(target.hostname)) {
    res.writeHead(403).end()
    return
  }
  // The query may carry a code: only the origin and path are kept.
  forwarded.push({ method: req.method ?? 'GET', target: `${target.origin}${target.pathname}` })
  const upstream = request(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => res.writeHead(502).end())
  req.pipe(upstream)
}

/**
 * Starts an HTTP forward proxy on a 127.0.0.1 port, as a company network has: it tunnels
 * `CONNECT host:port` and forwards absolute-form requests (`GET http://host/path`), to
 * loopback hosts only, and records each, so a test can tell which requests went through it.
 *
 * @example
 * ```ts
 * const proxy = await startForwardProxy()
 * process.env.HTTP_PROXY = proxy.url
 * // … requests …
 * expect(proxy.forwarded).toContainEqual({ method: 'POST', target: `${issuer}/token` })
 * await proxy.close()
 * ```
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const forwarded: ForwardedRequest[] = []
  const tunnels = new Set<Socket>()
  const server = createServer((req, res) => forwardPlain(req, res, forwarded))
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host = '', port = ''] = (req.url ?? '').split(/:(?=\d+$)/)
    if (!isLoopback(host) || port === '') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    forwarded.push({ method: 'CONNECT', target: `${host}:${port}` })
    const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      tunnels.add(socket)
      socket.on('close', () => tunnels.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
