import { abortError } from '../errors.js'
import type { TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'
import { saveTokens } from './step-support.js'
import { type HeldGrant, underLock } from './under-lock.js'

/**
 * Saves tokens held unsaved (their save failed, the store was down), under the store's lock
 * when it has one, without asking the provider: their refresh token is the live one, and the
 * store must have it before anyone refreshes with the one it replaced. A newer stored record
 * (see `isNewerRecord`) is taken instead. A failed save throws: the tokens stay unsaved.
 */
export async function saveHeldUnderLock(
  held: HeldGrant,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<TokenSet> {
  return underLock(held, deps, signal, async (stored, lock) => {
    if (stored !== undefined) return stored
    // A logout or a refresh a caller asked for may have taken over while the lock was awaited.
    if (signal.aborted) throw abortError(signal, 'Saving the tokens')
    await saveTokens(deps, held.tokens, lock)
    return held.tokens
  })
}
