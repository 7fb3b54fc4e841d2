import type { KeywayError } from '../errors.js'
import type { TokenSet } from '../tokens.js'

/**
 * Which grant a record belongs to. Stores keep records with different keys apart, so one
 * store can hold several accounts, clients and providers.
 */
export interface StoreKey {
  /** The provider's issuer identifier (or, without discovery, the token endpoint's origin). */
  readonly issuer: string
  /** The OAuth client id. */
  readonly clientId: string
  /** The app's name for this account; `default` when none is given. */
  readonly profile: string
}

/** A held cross-process lock on one key. */
export interface StoreLock {
  /**
   * A number that grows with every acquisition, when the backend has one (Redis). A store
   * refuses a save carrying a fence older than the newest, so a holder whose lease ran out
   * cannot overwrite what the next holder wrote.
   */
  readonly fence?: number
  /**
   * True when the backend lost the data it held since this store last saved the key (a Redis
   * that restarted without persistence: its fences started over). An empty record then means
   * lost data, not a logout in another process, and tokens held unsaved are saved into it.
   */
  readonly dataLost?: boolean
  /** Gives the lock up. Releasing twice, or after the lease ran out, is harmless. */
  release(): Promise<void>
}

/** Options for {@link TokenStore.lock}. */
export interface LockOptions {
  /** How long the lock holds without being released, so a crashed holder blocks no one. */
  readonly leaseMs: number
  /** Stops waiting for the lock. */
  readonly signal?: AbortSignal
}

/** What a store may tell Keyway while loading, besides the result. */
export interface LoadContext {
  /**
   * Reports a problem that did not stop the load, e.g. a corrupt record that was set aside.
   * Keyway emits it as an `error` event.
   */
  report(error: KeywayError): void
}

/**
 * The storage port. Each backend (memory, file, keychain, Redis) implements it in its own
 * package; core only talks to this interface.
 *
 * Failures are `KeywayError`s: `store_error` for a failed read or write, `store_unavailable`
 * when the backend is not there.
 */
export interface TokenStore {
  /** A short name for messages, e.g. `file`, `keychain`, `redis`. */
  readonly name: string
  /**
   * Reads the tokens for `key`, or `undefined` when there are none. Unreadable data is not
   * an exception: it is set aside where the backend allows, reported, and read as empty.
   */
  load(key: StoreKey, context?: LoadContext): Promise<TokenSet | undefined>
  /** Writes the tokens for `key`, replacing what was there. */
  save(key: StoreKey, tokens: TokenSet, options?: { readonly lock?: StoreLock }): Promise<void>
  /** Removes the tokens for `key`; removing what is not there is not an error. */
  delete(key: StoreKey): Promise<void>
  /**
   * Takes an exclusive lock on `key`, shared by every process that uses the same backend.
   * Stores without one leave it out, and Keyway then coordinates within its own process only.
   */
  lock?(key: StoreKey, options: LockOptions): Promise<StoreLock>
  /**
   * Resolves the next time the backend becomes reachable again (a Redis client reconnected),
   * so that tokens whose save an outage cut off are saved at once instead of after a backoff;
   * rejects when `signal` aborts. Stores whose backend does not come and go leave it out.
   */
  whenAvailable?(options: { readonly signal: AbortSignal }): Promise<void>
}

/** The profile used when the app names none. */
export const DEFAULT_PROFILE = 'default'

const keyIds = new WeakMap<StoreKey, string>()

/** One unambiguous string for a key, for stores that need a flat name. */
export function storeKeyId(key: StoreKey): string {
  let id = keyIds.get(key)
  if (id === undefined) {
    id = JSON.stringify([key.issuer, key.clientId, key.profile])
    // Keys are plain readonly records: one object always names the same grant.
    keyIds.set(key, id)
  }
  return id
}
