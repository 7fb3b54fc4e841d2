import type { DPoPKeyJwk } from './dpop/key.js'

/**
 * The tokens Keyway holds for one grant. Times are epoch milliseconds.
 *
 * `login()` resolves with one, stores persist one, and `getAccessToken()` hands out its
 * `accessToken`.
 */
export interface TokenSet {
  /** The access token to send as `Authorization: <tokenType> <accessToken>`. */
  readonly accessToken: string
  /** The token type, usually `Bearer` (`Bearer` and `DPoP` are spelled in their registered case). */
  readonly tokenType: string
  /** When the access token expires (epoch ms); absent when the provider did not say. */
  readonly expiresAt?: number
  /** The refresh token, when the grant has one. */
  readonly refreshToken?: string
  /** The OpenID Connect ID token, when `openid` was asked for. */
  readonly idToken?: string
  /** The scopes granted, space-separated, as the provider last reported them. */
  readonly scope?: string
  /**
   * When Keyway asked the provider for these tokens (epoch ms): `expiresAt` counts from then.
   * It orders two records of one grant (the later one is newer) and gives the token's
   * lifetime; absent on records written before Keyway kept it.
   */
  readonly obtainedAt?: number
  /**
   * The private DPoP key (RFC 9449) the tokens are bound to, when they are (`tokenType` is
   * `DPoP`): every refresh and every resource request must prove possession of it. A secret,
   * kept in the store record beside the refresh token, and left out of every summary.
   */
  readonly dpopKey?: DPoPKeyJwk
}

/** A description of a {@link TokenSet} that is safe to log: no token values. */
export interface TokenSummary {
  readonly tokenType: string
  readonly expiresAt?: number
  readonly scope?: string
  readonly obtainedAt?: number
  readonly hasRefreshToken: boolean
  readonly hasIdToken: boolean
}

/** Describes `tokens` without any secret, for logs, status output and inspector snapshots. */
export function summarizeTokens(tokens: TokenSet): TokenSummary {
  return {
    tokenType: tokens.tokenType,
    ...(tokens.expiresAt === undefined ? {} : { expiresAt: tokens.expiresAt }),
    ...(tokens.scope === undefined ? {} : { scope: tokens.scope }),
    ...(tokens.obtainedAt === undefined ? {} : { obtainedAt: tokens.obtainedAt }),
    hasRefreshToken: tokens.refreshToken !== undefined,
    hasIdToken: tokens.idToken !== undefined,
  }
}

/**
 * True when the access token is still usable for at least `minTtl` milliseconds at `now`.
 * A token with no known expiry is taken as valid until the provider says otherwise.
 */
export function isAccessTokenFresh(tokens: TokenSet, now: number, minTtl = 0): boolean {
  return tokens.expiresAt === undefined || tokens.expiresAt - now > minTtl
}

/** True when the grant can be renewed without the person: it has a refresh token. */
export function hasRefreshToken(tokens: TokenSet | undefined): boolean {
  return tokens?.refreshToken !== undefined
}

/** True when two token sets hold the same access token (and so the same grant state). */
export function sameAccessToken(a: TokenSet | undefined, b: TokenSet | undefined): boolean {
  return a !== undefined && b !== undefined && a.accessToken === b.accessToken
}

/**
 * True when `stored`, read from the store, should replace `held`, the tokens this instance
 * holds. When what is held was saved, any other record was written after it (another
 * process refreshed): it is newer. When what is held could not be saved (the store failed),
 * the store may still hold the record it replaced, which must never come back: the stored
 * record wins only when it was obtained later.
 */
export function isNewerRecord(
  stored: TokenSet,
  held: TokenSet,
  options: { readonly heldUnsaved: boolean },
): boolean {
  if (sameAccessToken(stored, held)) return false
  if (!options.heldUnsaved) return true
  return (
    stored.obtainedAt !== undefined &&
    held.obtainedAt !== undefined &&
    stored.obtainedAt > held.obtainedAt
  )
}
