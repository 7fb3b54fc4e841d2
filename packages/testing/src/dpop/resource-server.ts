import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DevProvider } from '../dev-provider/provider.js'
import { introspectToken } from './introspection.js'
import { checkProof, type ProofRefusal } from './proof-check.js'
import { jwkThumbprint } from './thumbprint.js'

/** Options of {@link startDPoPResourceServer}. */
export interface DPoPResourceServerOptions {
  /** The provider whose access tokens are presented; they are checked by introspection. */
  readonly dev: DevProvider
  /**
   * Ask for a DPoP nonce (RFC 9449 §9): a proof without the server's nonce gets a 401
   * `use_dpop_nonce` challenge with a `DPoP-Nonce`. Default false.
   */
  readonly requireNonce?: boolean
}

/** A running resource server that accepts DPoP-bound access tokens only. */
export interface DPoPResourceServer {
  /** Its base URL, e.g. `http://127.0.0.1:41235/`. */
  readonly url: string
  /** Requests it served. */
  readonly accepted: number
  /** Requests it refused, by the check that failed, in order. */
  readonly refusals: readonly ProofRefusal[]
  /** `use_dpop_nonce` challenges it sent. */
  readonly nonceChallenges: number
  /** Stops the server and closes every socket. */
  close(): Promise<void>
}

/**
 * Starts a small resource server on 127.0.0.1 that checks what RFC 9449 has a resource
 * server check: the `DPoP` proof's signature with the key in its header, `htm`, `htu`, `iat`,
 * `ath` (the access token's hash), a `jti` never seen before, the nonce when it asks for one,
 * and, by introspection at the dev provider, that the token is active and bound to that
 * key (`cnf.jkt`). A request that passes gets `{ sub }` as JSON.
 */
export async function startDPoPResourceServer(
  options: DPoPResourceServerOptions,
): Promise<DPoPResourceServer> {
  const seenJti = new Set<string>()
  const refusals: ProofRefusal[] = []
  const nonce = randomUUID()
  let accepted = 0
  let nonceChallenges = 0
  let base = ''

  const refuse = (res: ServerResponse, reason: ProofRefusal, error = 'invalid_dpop_proof') => {
    refusals.push(reason)
    res.writeHead(401, { 'www-authenticate': `DPoP error="${error}", algs="ES256"` })
    res.end()
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const authorization = req.headers.authorization ?? ''
    const proof = req.headers.dpop
    if (!authorization.startsWith('DPoP ') || typeof proof !== 'string') {
      refuse(res, 'no DPoP token', 'invalid_token')
      return
    }
    const accessToken = authorization.slice('DPoP '.length)
    const target = new URL(req.url ?? '/', base)
    const verdict = await checkProof({
      proof,
      accessToken,
      method: req.method ?? 'GET',
      url: `${target.origin}${target.pathname}`,
      now: Date.now(),
      ...(options.requireNonce ? { nonce } : {}),
    })
    if (!verdict.ok) {
      if (verdict.refused === 'missing nonce') {
        nonceChallenges += 1
        res.writeHead(401, {
          'www-authenticate': 'DPoP error="use_dpop_nonce", algs="ES256"',
          'dpop-nonce': nonce,
        })
        res.end()
        return
      }
      refuse(res, verdict.refused)
      return
    }
    if (seenJti.has(verdict.jti)) {
      refuse(res, 'replayed jti')
      return
    }
    seenJti.add(verdict.jti)
    const token = await introspectToken(options.dev, accessToken)
    if (token.active !== true) {
      refuse(res, 'inactive token', 'invalid_token')
      return
    }
    if (token.cnf?.jkt !== jwkThumbprint(verdict.jwk)) {
      refuse(res, 'wrong key', 'invalid_token')
      return
    }
    accepted += 1
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ sub: token.sub }))
  }

  const server = createServer((req, res) => {
    req.resume()
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return {
    url: base,
    get accepted() {
      return accepted
    },
    get refusals() {
      return [...refusals]
    },
    get nonceChallenges() {
      return nonceChallenges
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
