import type { Fetch } from '../protocol/fetch.js'
import type { TokenSet } from '../tokens.js'
import { dpopProof } from './proof.js'

/** The headers that present an access token to a resource server. */
export interface AuthorizationHeaders {
  /** `DPoP <token>` for a DPoP-bound token, else `<tokenType> <token>` (e.g. `Bearer …`). */
  readonly authorization: string
  /** The DPoP proof for this one request; only for a DPoP-bound token. */
  readonly dpop?: string
}

/** Options of {@link Keyway.authorizationHeaders}. */
export interface AuthorizationHeadersOptions {
  /**
   * The server's `DPoP-Nonce` to put in the proof. Default: the last one this Keyway saw
   * from the URL's origin through {@link Keyway.fetch}, if any.
   */
  readonly nonce?: string
  /** Stops waiting for the token (see {@link Keyway.getTokens}). */
  readonly signal?: AbortSignal
}

/** True for a 401 whose challenge asks for a DPoP nonce (RFC 9449 §9), with the nonce given. */
function asksForNonce(response: Response): boolean {
  return (
    response.status === 401 &&
    response.headers.has('dpop-nonce') &&
    /\bDPoP\b[\s\S]*\berror\s*=\s*"?use_dpop_nonce"?/i.test(
      response.headers.get('www-authenticate') ?? '',
    )
  )
}

/** True when a request's body can be sent a second time (a stream cannot). */
function canResend(init: RequestInit | undefined): boolean {
  return !(init?.body instanceof ReadableStream)
}

/**
 * Presents access tokens to resource servers: the `Authorization` header, and for a
 * DPoP-bound token a fresh proof per request with the nonce each origin last asked for.
 */
export class ResourceRequests {
  readonly #fetch: Fetch
  readonly #clock: () => number
  /** The latest `DPoP-Nonce` by origin. */
  readonly #nonces = new Map<string, string>()

  constructor(fetch: Fetch, clock: () => number) {
    this.#fetch = fetch
    this.#clock = clock
  }

  /** The headers for one request with `tokens` to `method` `url`. */
  async headers(
    tokens: TokenSet,
    method: string,
    url: string | URL,
    nonce: string | undefined = this.#nonces.get(new URL(url).origin),
  ): Promise<AuthorizationHeaders> {
    const { accessToken, dpopKey } = tokens
    if (dpopKey === undefined) return { authorization: `${tokens.tokenType} ${accessToken}` }
    const proof = await dpopProof(dpopKey, {
      method,
      url,
      accessToken,
      now: this.#clock(),
      ...(nonce === undefined ? {} : { nonce }),
    })
    return { authorization: `DPoP ${accessToken}`, dpop: proof }
  }

  /**
   * Sends a request with `tokens`' headers added. For a DPoP-bound token, a `DPoP-Nonce` in
   * the answer is kept for the origin, and a `use_dpop_nonce` challenge is answered once
   * with a new proof (unless the body is a stream, which cannot be sent again).
   */
  async fetch(
    tokens: () => Promise<TokenSet>,
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> {
    const request = input instanceof Request ? input : undefined
    const url = request?.url ?? String(input)
    const method = init?.method ?? request?.method ?? 'GET'
    const held = await tokens()
    const send = async (nonce?: string) => {
      const headers = new Headers(init?.headers ?? request?.headers)
      const added = await this.headers(held, method, url, nonce)
      headers.set('authorization', added.authorization)
      if (added.dpop !== undefined) headers.set('dpop', added.dpop)
      return this.#fetch(request?.clone() ?? url, { ...init, method, headers })
    }
    const response = await send()
    if (held.dpopKey === undefined) return response
    const nonce = response.headers.get('dpop-nonce')
    if (nonce === null) return response
    this.#nonces.set(new URL(url).origin, nonce)
    if (!asksForNonce(response) || !canResend(init)) return response
    await response.body?.cancel()
    return send(nonce)
  }
}
