import { abortError, KeywayError, KeywayErrorCodes } from '../errors.js'
import { isAccessTokenFresh, sameAccessToken, type TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'
import { carryTokens } from './sealed-tokens.js'
import { asStoreError, saveTokens } from './step-support.js'

/**
 * Refreshes under the store's lock when it has one: after taking it, the store is read again,
 * since another process may have refreshed already; only when it has not is a request sent.
 */
export async function refreshUnderLock(
  current: TokenSet,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<TokenSet> {
  const { store, key } = deps
  const lock = store.lock
    ? await store.lock(key, { leaseMs: deps.lockLease, signal }).catch((error: unknown) => {
        throw asStoreError(error, 'taking the refresh lock')
      })
    : undefined
  try {
    let base = current
    if (lock !== undefined) {
      const stored = await store.load(key, { report: deps.report }).catch((error: unknown) => {
        throw asStoreError(error, 'reading the tokens')
      })
      if (stored === undefined) {
        throw new KeywayError(
          KeywayErrorCodes.loginRequired,
          'The stored grant was removed (a logout in another process); log in again.',
        )
      }
      if (!sameAccessToken(stored, current) && isAccessTokenFresh(stored, deps.now())) {
        return stored
      }
      if (stored.refreshToken !== undefined) base = stored
    }
    let fresh: TokenSet
    try {
      fresh = await (await deps.protocol()).refresh(base, signal)
    } catch (error) {
      if (error instanceof KeywayError && error.code === KeywayErrorCodes.loginRequired) {
        await store.delete(key).catch((failure: unknown) => {
          deps.report(asStoreError(failure, 'clearing the dead grant'))
        })
      }
      throw error
    }
    // The machine may have left `refreshing` (a logout, a stop) while the request was out:
    // its answer must not bring back a grant the store has just cleared.
    if (signal.aborted) throw abortError(signal, 'The refresh')
    try {
      await saveTokens(deps, fresh, lock)
    } catch (error) {
      throw carryTokens(error as KeywayError, fresh)
    }
    return fresh
  } finally {
    if (lock !== undefined) letGo(lock, deps)
  }
}

/**
 * Releases the refresh lock without holding up the result: the tokens are saved, so callers
 * need not wait for a file to be unlinked or a Redis key to be deleted. `stop()` still waits
 * for the release through `track`.
 */
function letGo(lock: { release(): Promise<void> }, deps: ActorDeps): void {
  const releasing = lock.release().catch(() => undefined)
  deps.track?.(releasing)
}
