import { createHash } from 'node:crypto'

/** Why a DPoP proof was refused; each names the one check that failed. */
export type ProofRefusal =
  | 'no DPoP token'
  | 'malformed proof'
  | 'bad header'
  | 'bad signature'
  | 'wrong method'
  | 'wrong URL'
  | 'stale iat'
  | 'wrong ath'
  | 'replayed jti'
  | 'missing nonce'
  | 'inactive token'
  | 'wrong key'

/** A proof's verdict: its key and `jti` when it passed its own checks, else why not. */
export type ProofVerdict =
  | { readonly ok: true; readonly jwk: JsonWebKey; readonly jti: string }
  | { readonly ok: false; readonly refused: ProofRefusal }

/** What one request presented, and what the proof must match. */
export interface ProofInput {
  readonly proof: string
  readonly accessToken: string
  readonly method: string
  /** The URL the request was sent to, without query. */
  readonly url: string
  readonly now: number
  /** The nonce the server expects, if it asked for one. */
  readonly nonce?: string
}

const IAT_WINDOW_SECONDS = 60

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Checks a DPoP proof as RFC 9449 §4.3 has a resource server do: its header (`dpop+jwt`,
 * ES256, a public `jwk`), its signature with that key, `htm`, `htu`, `iat`, `ath` and the
 * nonce; `jti` replay is the caller's to refuse. Returns the key, or why it was refused.
 */
export async function checkProof(input: ProofInput): Promise<ProofVerdict> {
  const refuse = (refused: ProofRefusal): ProofVerdict => ({ ok: false, refused })
  const parts = input.proof.split('.')
  const header = decodePart(parts[0])
  const payload = decodePart(parts[1])
  if (parts.length !== 3 || header === undefined || payload === undefined) {
    return refuse('malformed proof')
  }
  const jwk = header.jwk as JsonWebKey | undefined
  if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256' || jwk?.kty !== 'EC' || 'd' in jwk) {
    return refuse('bad header')
  }
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' }
  const valid = await crypto.subtle
    .importKey('jwk', jwk, algorithm, false, ['verify'])
    .then((key) =>
      crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        key,
        Buffer.from(parts[2]!, 'base64url'),
        new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
      ),
    )
    .catch(() => false)
  if (!valid) return refuse('bad signature')
  if (payload.htm !== input.method) return refuse('wrong method')
  if (payload.htu !== input.url) return refuse('wrong URL')
  const iat = payload.iat
  if (typeof iat !== 'number' || Math.abs(iat - input.now / 1000) > IAT_WINDOW_SECONDS) {
    return refuse('stale iat')
  }
  const ath = createHash('sha256').update(input.accessToken).digest('base64url')
  if (payload.ath !== ath) return refuse('wrong ath')
  if (input.nonce !== undefined && payload.nonce !== input.nonce) {
    return refuse('missing nonce')
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') return refuse('malformed proof')
  return { ok: true, jwk, jti: payload.jti }
}
