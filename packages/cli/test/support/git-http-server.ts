import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { DevProvider, SelfSignedCertificate } from '@keyway/testing'

/** A local forge: git's smart HTTP over HTTPS, behind tokens from the dev provider. */
export interface GitHttpServer {
  /** e.g. `https://127.0.0.1:41234`; `host` is what git sends as `host=`. */
  readonly origin: string
  readonly host: string
  /** Requests answered, by outcome: a token the provider knows, or a 401. */
  readonly answered: { accepted: number; rejected: number }
  /**
   * The next request with a valid token is refused (401), and that token ever after, as a
   * forge does with a token it revoked on its side.
   */
  rejectNextValidToken(): void
  close(): Promise<void>
}

/** The password of a Basic `authorization` header; undefined without one. */
function basicPassword(request: IncomingMessage): string | undefined {
  const encoded = /^Basic (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
  if (encoded === undefined) return undefined
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon === -1 ? undefined : decoded.slice(colon + 1)
}

/** True when the dev provider's userinfo endpoint takes `token` as an access token. */
async function isValidAccessToken(dev: DevProvider, token: string): Promise<boolean> {
  const response = await fetch(`${dev.issuer}/me`, {
    headers: { authorization: `Bearer ${token}` },
  })
  await response.arrayBuffer()
  return response.ok
}

/**
 * Runs `git http-backend` as a CGI program for one request, as a web server would: the
 * request's line and headers in its environment, the body on its stdin, its `Status:` and
 * headers turned into the response's.
 */
function serveWithHttpBackend(
  request: IncomingMessage,
  response: ServerResponse,
  gitExec: string,
  projectRoot: string,
  user: string,
) {
  const url = new URL(request.url ?? '/', 'https://forge.invalid')
  const header = (name: string) => request.headers[name]?.toString() ?? ''
  const backend = spawn(`${gitExec}/git-http-backend`, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: header('content-type'),
      CONTENT_LENGTH: header('content-length'),
      HTTP_CONTENT_ENCODING: header('content-encoding'),
      GIT_PROTOCOL: header('git-protocol'),
      REMOTE_USER: user,
      REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  })
  request.pipe(backend.stdin)
  let head = Buffer.alloc(0)
  let headersSent = false
  backend.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk)
      return
    }
    head = Buffer.concat([head, chunk])
    const text = head.toString('latin1')
    const end = text.search(/\r?\n\r?\n/)
    if (end === -1) return
    const lines = text.slice(0, end).split(/\r?\n/)
    let status = 200
    for (const line of lines) {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).trim()
      const value = line.slice(colon + 1).trim()
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10)
      else response.setHeader(name, value)
    }
    response.writeHead(status)
    headersSent = true
    response.write(head.subarray(end + (text.slice(end).match(/^\r?\n\r?\n/)?.[0].length ?? 2)))
  })
  backend.on('close', () => {
    if (!headersSent) response.writeHead(502)
    response.end()
  })
}

/**
 * Starts an HTTPS server on 127.0.0.1 (with `tls`) in front of `git http-backend` (from
 * `gitExec`, git's exec path) serving the repositories under `projectRoot`. Every request
 * needs Basic authentication whose password is an access token the dev provider takes
 * (checked at its userinfo endpoint); any other is a 401 asking for Basic, as forges do.
 */
export async function startGitHttpServer(
  dev: DevProvider,
  tls: SelfSignedCertificate,
  gitExec: string,
  projectRoot: string,
): Promise<GitHttpServer> {
  const answered = { accepted: 0, rejected: 0 }
  const revoked = new Set<string>()
  let rejectNext = false
  const allowed = async (password: string | undefined) => {
    if (password === undefined || revoked.has(password)) return false
    if (!(await isValidAccessToken(dev, password))) return false
    if (!rejectNext) return true
    rejectNext = false
    revoked.add(password)
    return false
  }
  const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    void allowed(basicPassword(request)).then((ok) => {
      if (!ok) {
        answered.rejected++
        request.resume()
        response.writeHead(401, { 'www-authenticate': 'Basic realm="keyway forge"' }).end()
        return
      }
      answered.accepted++
      serveWithHttpBackend(request, response, gitExec, projectRoot, 'keyway')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `https://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    answered,
    rejectNextValidToken: () => {
      rejectNext = true
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
