import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { StoreLock } from '../ports/store.js'
import { isNewerRecord, type TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'
import { asStoreError } from './step-support.js'

/** What a step under the store's lock knows of the tokens it holds. */
export interface HeldGrant {
  readonly tokens: TokenSet
  /** Their save failed: the store may still hold the record they replaced. */
  readonly unsaved: boolean
}

/**
 * Runs `step` under the store's refresh lock when it has one, given the stored record that
 * should replace the held tokens (see `newerStoredRecord`; `undefined` without a lock),
 * and lets the lock go however `step` ends.
 */
export async function underLock<T>(
  held: HeldGrant,
  deps: ActorDeps,
  signal: AbortSignal,
  step: (stored: TokenSet | undefined, lock: StoreLock | undefined) => Promise<T>,
): Promise<T> {
  const lock = await takeLock(deps, signal)
  try {
    const stored = lock === undefined ? undefined : await newerStoredRecord(held, lock, deps)
    return await step(stored, lock)
  } finally {
    if (lock !== undefined) letGo(lock, deps)
  }
}

/** Takes the store's refresh lock when it has one; `undefined` when it has none. */
async function takeLock(deps: ActorDeps, signal: AbortSignal): Promise<StoreLock | undefined> {
  const { store, key } = deps
  if (store.lock === undefined) return undefined
  try {
    return await store.lock(key, { leaseMs: deps.lockLease, signal })
  } catch (error) {
    throw asStoreError(error, 'taking the refresh lock')
  }
}

/**
 * Releases the lock without holding up the result: callers need not wait for a file to be
 * unlinked or a Redis key to be deleted. A release that fails (the store is down) is
 * reported; the store frees the lock later, or its lease does. `stop()` waits for it
 * through `track`.
 */
function letGo(lock: StoreLock, deps: ActorDeps): void {
  const releasing = lock.release().catch((error: unknown) => {
    deps.report(asStoreError(error, 'releasing the refresh lock'))
  })
  deps.track?.(releasing)
}

/**
 * Reads the store under `lock` and returns its record when it should replace the held
 * tokens (see `isNewerRecord`), or `undefined` when the held tokens stand. An empty store
 * means the grant was removed (a logout in another process), with one exception: tokens
 * held unsaved, in a store that lost its data (`lock.dataLost`), are the only copy of the
 * grant and stand.
 */
async function newerStoredRecord(
  held: HeldGrant,
  lock: StoreLock,
  deps: ActorDeps,
): Promise<TokenSet | undefined> {
  const stored = await deps.store.load(deps.key, { report: deps.report }).catch((error) => {
    throw asStoreError(error, 'reading the tokens')
  })
  if (stored === undefined) {
    if (held.unsaved && lock.dataLost === true) return undefined
    throw new KeywayError(
      KeywayErrorCodes.loginRequired,
      'The stored grant was removed (a logout in another process); log in again.',
    )
  }
  return isNewerRecord(stored, held.tokens, { heldUnsaved: held.unsaved }) ? stored : undefined
}
