import { hasRefreshToken, isAccessTokenFresh, type TokenSet } from '../tokens.js'

/** Where a grant read from the store leads. */
export type RestorePlan = 'authorized' | 'refreshing' | 'loginRequired' | 'idle'

/**
 * What a grant read from the store allows: a valid access token is used as it is, an
 * expired one is refreshed when the grant has a refresh token and needs a login when not,
 * and no grant at all is `idle`. The machine's restore guards decide with this function, and
 * so does the cold start that serves a valid stored token before the machine is loaded.
 */
export function restorePlan(tokens: TokenSet | undefined, now: number): RestorePlan {
  if (tokens === undefined) return 'idle'
  if (isAccessTokenFresh(tokens, now)) return 'authorized'
  return hasRefreshToken(tokens) ? 'refreshing' : 'loginRequired'
}
