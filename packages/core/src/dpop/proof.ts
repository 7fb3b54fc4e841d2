import { type DPoPKeyJwk, dpopKeyPair, publicJwk } from './key.js'

const encoder = new TextEncoder()

function base64url(bytes: Uint8Array | string): string {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)
  return buffer.toString('base64url')
}

/** What one DPoP proof is for. */
export interface ProofRequest {
  /** The HTTP method, e.g. `GET`. */
  readonly method: string
  /** The request's URL; the proof names it without query and fragment (`htu`). */
  readonly url: string | URL
  /** The access token the request carries, whose hash the proof binds (`ath`). */
  readonly accessToken?: string
  /** The server's latest `DPoP-Nonce`, when it gave one. */
  readonly nonce?: string
  /** The time, epoch ms. */
  readonly now: number
}

/** The `htu` of a proof: the URL without its query and fragment (RFC 9449 §4.2). */
export function proofTarget(url: string | URL): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`
}

/**
 * A DPoP proof JWT (RFC 9449 §4.2) signed with `key`: a fresh `jti`, `iat` now, the method
 * and URL of the request, and the access token's hash when it carries one. Made here with
 * WebCrypto rather than by openid-client, so that calling a resource server with a stored
 * token loads no protocol library.
 */
export async function dpopProof(key: DPoPKeyJwk, request: ProofRequest): Promise<string> {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk(key) }
  const payload = {
    jti: crypto.randomUUID(),
    htm: request.method.toUpperCase(),
    htu: proofTarget(request.url),
    iat: Math.floor(request.now / 1000),
    ...(request.accessToken === undefined
      ? {}
      : { ath: base64url(await sha256(request.accessToken)) }),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
  }
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
  const { privateKey } = await dpopKeyPair(key)
  // WebCrypto's ECDSA signature is r ‖ s, the form JWS wants (RFC 7518 §3.4).
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    privateKey,
    encoder.encode(input),
  )
  return `${input}.${base64url(new Uint8Array(signature))}`
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}
