import type { KeywayError } from '../errors.js'
import type { StoreKey, TokenStore } from '../ports/store.js'
import type { Transport } from '../ports/transport.js'
import type { Protocol } from '../protocol/client.js'
import type { TokenSet } from '../tokens.js'

/** What the machine's actors work with. */
export interface ActorDeps {
  /** The protocol, loaded with openid-client on first use. */
  readonly protocol: () => Promise<Protocol>
  readonly store: TokenStore
  readonly key: StoreKey
  /** The store read made at start, which the machine's first `restore` reuses. */
  readonly restored?: Promise<TokenSet | undefined>
  readonly transport: Transport | undefined
  readonly lockLease: number
  readonly now: () => number
  /** Reports a problem that did not stop the step (emitted as an `error` event). */
  readonly report: (error: KeywayError) => void
  /**
   * Told of every step's work, so that `stop()` can wait until work it cut short has let go
   * of what it held (a store lock) before the app closes the store.
   */
  readonly track?: <T>(work: Promise<T>) => Promise<T>
  /**
   * Told the tokens a login or a refresh has just saved, before the actor returns them to the
   * machine; true when someone was waiting for them (a `login()`, `getAccessToken()` callers)
   * and has them now. The machine then moves on at the event loop's next turn, so that its
   * bookkeeping holds up no one.
   */
  readonly delivered?: (step: 'login' | 'refresh', tokens: TokenSet) => boolean
  /**
   * A refresh already under way that was started ahead of the machine (a caller needed a
   * token), for the refresh actor to take over: `signal` aborts it from then on. Undefined
   * when there is none, and the actor refreshes itself.
   */
  readonly adopt?: (signal: AbortSignal) => Promise<TokenSet> | undefined
}
