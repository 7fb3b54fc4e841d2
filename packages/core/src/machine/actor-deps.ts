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
  /** A store read already under way (the cold start's), which the first `restore` reuses. */
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
}
