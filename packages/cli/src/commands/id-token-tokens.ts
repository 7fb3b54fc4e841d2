import type { Keyway, TokenSet } from '@keyway/core'
import { freshIdToken, noIdTokenError, type ServedIdToken } from '../id-token.js'

/** What {@link getIdToken} needs: the signal that cancels it, and the least lifetime left. */
export interface IdTokenRequest {
  readonly signal: AbortSignal
  /** Milliseconds the ID token must have left; otherwise the grant is refreshed once. */
  readonly minTtl: number
  /** Refresh first, whatever the expiry. */
  readonly forceRefresh?: boolean
}

/**
 * A fresh ID token from the profile's grant: the held one when it has more than `minTtl`
 * left, else the one a single refresh brings (served if it has not expired, even when the
 * provider's ID tokens live less than `minTtl`). Never more than one refresh, never a login.
 *
 * @throws `login_required` when the refresh brings no unexpired ID token (see
 *   {@link noIdTokenError}), or there is no grant.
 */
export async function getIdToken(kw: Keyway, request: IdTokenRequest): Promise<ServedIdToken> {
  const { signal, minTtl } = request
  if (request.forceRefresh !== true) {
    const asked = Date.now()
    const held = await kw.getTokens({ signal, minTtl })
    const fresh = freshIdToken(held, Date.now(), minTtl)
    if (fresh !== undefined) return fresh
    // Refreshed just now for the access token: another refresh would bring no better ID token.
    if (held.obtainedAt !== undefined && held.obtainedAt >= asked) return unexpired(held)
  }
  return unexpired(await kw.getTokens({ signal, forceRefresh: true }))
}

/** The ID token of tokens just refreshed, if it has not expired. */
function unexpired(tokens: TokenSet): ServedIdToken {
  const served = freshIdToken(tokens, Date.now(), 0)
  if (served === undefined) throw noIdTokenError()
  return served
}
