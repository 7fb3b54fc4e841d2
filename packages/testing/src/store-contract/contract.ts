import type { StoreKey, TokenStore } from '@keyway/core'

/** What the contract suite needs to know about a backend, besides the store itself. */
export interface TokenStoreContract {
  /**
   * Reads what the backend really holds for `key`, past the store: the stored record as parsed
   * JSON, or undefined when there is none. Leave it out only where nothing lies beneath the
   * store (memory); the suite then skips the cases that look beneath it.
   */
  readRaw?(key: StoreKey): Promise<unknown>
  /**
   * Puts `text` where the store keeps `key`'s record, as damage or another program would. Leave
   * it out only where nothing can damage the data (memory).
   */
  writeCorrupt?(key: StoreKey, text: string): Promise<void>
  /**
   * How many damaged records the backend set aside for `key`. Leave it out for a backend that
   * cannot keep them; the suite then only checks that the damage is gone.
   */
  countSetAside?(key: StoreKey): Promise<number>
  /**
   * Everything the backend keeps on disk, for a backend that promises no secret is there in
   * clear (a keyring): the suite checks that no token appears in it.
   */
  atRest?(): Promise<string>
  /** Frees a store the factory made, e.g. closes its connection; runs after each test. */
  dispose?(store: TokenStore): Promise<void>
  /** Whether the store has a lock; default true, and the lock cases then run. */
  readonly locks?: boolean
  /** The short lease the lock cases use, in ms. Default 500. */
  readonly leaseMs?: number
}

/**
 * Makes a store on the backend under test. Each call gives a new handle on the same backend,
 * as another process would have: the suite uses two to check what they share.
 */
export type TokenStoreFactory = () => TokenStore | Promise<TokenStore>

/** The handles a test opened, disposed of after it. */
export class OpenStores {
  readonly #open: TokenStore[] = []

  constructor(
    readonly factory: TokenStoreFactory,
    readonly contract: TokenStoreContract,
  ) {}

  /** A new handle on the backend. */
  async open(): Promise<TokenStore> {
    const store = await this.factory()
    this.#open.push(store)
    return store
  }

  /** Disposes of every handle opened since the last call. */
  async disposeAll(): Promise<void> {
    for (const store of this.#open.splice(0)) await this.contract.dispose?.(store)
  }
}
