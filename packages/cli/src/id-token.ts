import { KeywayError, KeywayErrorCodes, type TokenSet } from '@keyway/core'

/**
 * When the ID token expires (epoch ms), from its `exp` claim, read without checking its
 * signature: Keyway checked the token when it was issued, and this only decides when to ask
 * for a new one. Undefined when the token cannot be read or has no `exp`.
 */
export function idTokenExpiry(idToken: string): number | undefined {
  const payload = idToken.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown
    }
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined
  } catch {
    return undefined
  }
}

/** An ID token to serve, and when it expires (epoch ms). */
export interface ServedIdToken {
  readonly idToken: string
  readonly expiresAt: number
}

/**
 * The tokens' ID token when it has more than `minTtl` milliseconds left at `now`; undefined
 * when there is none, it cannot be read, or it expires sooner.
 */
export function freshIdToken(
  tokens: TokenSet,
  now: number,
  minTtl: number,
): ServedIdToken | undefined {
  if (tokens.idToken === undefined) return undefined
  const expiresAt = idTokenExpiry(tokens.idToken)
  if (expiresAt === undefined || expiresAt - now <= minTtl) return undefined
  return { idToken: tokens.idToken, expiresAt }
}

/**
 * The provider sent no (usable) ID token with the tokens it just refreshed: many send one
 * only at login, and none without the `openid` scope. A login brings a new one, so this is
 * `login_required` (exit 4).
 */
export function noIdTokenError(): KeywayError {
  return new KeywayError(
    KeywayErrorCodes.loginRequired,
    'The provider sent no unexpired ID token with the refreshed tokens (some send one only at ' +
      'login, and none unless the profile asks for the openid scope). Log in again for a new one.',
  )
}
