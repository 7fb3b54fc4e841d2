import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { DevProvider, SelfSignedCertificate } from '@keyway/testing'
import { createRemoteJWKSet, jwtVerify } from 'jose'

/** A local imitation of a Kubernetes API server that takes OIDC ID tokens as bearers. */
export interface KubeApi {
  /** e.g. `https://127.0.0.1:41234` */
  readonly server: string
  /** Requests answered, by outcome. */
  readonly answered: { accepted: number; rejected: number }
  close(): Promise<void>
}

/** What a Kubernetes API server answers to `GET /api`. */
const apiVersions = {
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
}

/** A Kubernetes `Status` with `code`, as the API server answers a refused request. */
const status = (code: number, reason: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: reason,
  reason,
  code,
})

function send(response: ServerResponse, code: number, body: unknown) {
  response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/**
 * Starts an HTTPS server on 127.0.0.1 with `tls` that does what Kubernetes' OIDC
 * authenticator does: takes the bearer as an ID token, checks its signature against the dev
 * provider's JWKS, its issuer, its audience (the native client) and its expiry, and answers
 * `GET /api` only then; anything else is a 401 (or a 404 for another path).
 */
export async function startKubeApi(dev: DevProvider, tls: SelfSignedCertificate): Promise<KubeApi> {
  const keys = createRemoteJWKSet(new URL(`${dev.issuer}/jwks`))
  const answered = { accepted: 0, rejected: 0 }
  const authenticated = async (request: IncomingMessage) => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1]
    if (bearer === undefined) return false
    try {
      await jwtVerify(bearer, keys, { issuer: dev.issuer, audience: dev.clients.native.clientId })
      return true
    } catch {
      return false
    }
  }
  const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
    void authenticated(request).then((ok) => {
      if (!ok) {
        answered.rejected++
        send(response, 401, status(401, 'Unauthorized'))
      } else if (request.method === 'GET' && request.url === '/api') {
        answered.accepted++
        send(response, 200, apiVersions)
      } else {
        send(response, 404, status(404, 'NotFound'))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    server: `https://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
