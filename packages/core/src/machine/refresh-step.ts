import { abortError, KeywayError, KeywayErrorCodes } from '../errors.js'
import type { StoreLock } from '../ports/store.js'
import { isAccessTokenFresh, type TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'
import { asStoreError, saveTokens } from './step-support.js'
import { type HeldGrant, underLock } from './under-lock.js'

/** The refresh step's result: the tokens to hold, and why saving them failed, if it did. */
export interface RefreshResult {
  readonly tokens: TokenSet
  readonly saveError?: KeywayError
}

/**
 * Refreshes under the store's lock when it has one. After taking it, the store is read
 * again: a newer record (another process refreshed) is used instead of a request when its
 * access token is valid, and its refresh token otherwise. An older record never replaces
 * tokens this instance holds unsaved: their refresh token is the live one, and the tokens it
 * brings are saved in their place. Tokens the provider issued are returned even when the
 * save fails, with the failure beside them: their refresh token may be the only live one.
 */
export async function refreshUnderLock(
  held: HeldGrant,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<RefreshResult> {
  return underLock(held, deps, signal, async (stored, lock) => {
    let base = held.tokens
    if (stored !== undefined) {
      if (isAccessTokenFresh(stored, deps.now())) return { tokens: stored }
      if (stored.refreshToken !== undefined) base = stored
    }
    const fresh = await requestRefresh(base, deps, signal)
    // The machine may have left `refreshing` (a logout, a stop) while the request was out:
    // its answer must not bring back a grant the store has just cleared.
    if (signal.aborted) throw abortError(signal, 'The refresh')
    return saved(fresh, deps, lock)
  })
}

/** Asks the provider; a dead grant is cleared from the store before the error goes on. */
async function requestRefresh(
  base: TokenSet,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<TokenSet> {
  try {
    return await (await deps.protocol()).refresh(base, signal)
  } catch (error) {
    if (error instanceof KeywayError && error.code === KeywayErrorCodes.loginRequired) {
      await deps.store.delete(deps.key).catch((failure: unknown) => {
        deps.report(asStoreError(failure, 'clearing the dead grant'))
      })
    }
    throw error
  }
}

/** Saves `tokens`; a failed save is returned beside them, not thrown. */
async function saved(
  tokens: TokenSet,
  deps: ActorDeps,
  lock: StoreLock | undefined,
): Promise<RefreshResult> {
  try {
    await saveTokens(deps, tokens, lock)
    return { tokens }
  } catch (error) {
    return { tokens, saveError: asStoreError(error, 'saving the tokens') }
  }
}
