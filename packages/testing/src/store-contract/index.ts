/**
 * The contract every `TokenStore` keeps, as one vitest suite that each store package runs
 * against its real backend. It lives on its own entry (`@keyway/testing/store-contract`) so
 * that the main entry of `@keyway/testing` never loads vitest.
 *
 * @packageDocumentation
 */
import { afterEach, describe } from 'vitest'
import { OpenStores, type TokenStoreContract, type TokenStoreFactory } from './contract.js'
import { damageCases } from './damage-cases.js'
import { lockCases } from './lock-cases.js'
import { persistenceCases, rawCases } from './persistence-cases.js'

export type { ChildStoreSpec } from '../cross-process/protocol.js'
export type { TokenStoreContract, TokenStoreFactory } from './contract.js'
export {
  CORRUPT_MARKER,
  corruptRecords,
  fullTokens,
  minimalTokens,
  uniqueKey,
} from './fixtures.js'
export {
  describeSharedRefresh,
  type SharedBackend,
  type SharedRefreshOptions,
} from './shared-refresh.js'

/**
 * Registers the store contract as a `describe` block: empty load, round trip with the expiry
 * intact, overwrite, idempotent delete, records kept apart per issuer, client id and profile,
 * the persisted schema as the backend shows it, concurrent saves, damaged data reported and
 * set aside, no token in clear at rest where promised, and, when the store has a lock,
 * exclusion, abortable waiting and a lease after which a late holder cannot write.
 *
 * @param name - names the block, e.g. `'file store'`.
 * @param factory - a new handle on the backend under test; the suite opens two where it
 *   checks what handles share, as two processes would.
 * @param contract - how the suite reads and damages the backend directly.
 * @example
 * ```ts
 * import { describeTokenStore } from '@keyway/testing/store-contract'
 * describeTokenStore('memory store', () => store, {
 *   readRaw: async (key) => …,
 *   writeCorrupt: async (key, text) => …,
 * })
 * ```
 */
export function describeTokenStore(
  name: string,
  factory: TokenStoreFactory,
  contract: TokenStoreContract,
): void {
  describe(`${name} keeps the TokenStore contract`, () => {
    const stores = new OpenStores(factory, contract)
    afterEach(() => stores.disposeAll())
    persistenceCases(stores)
    const { readRaw, writeCorrupt } = contract
    if (readRaw !== undefined) rawCases(stores, readRaw)
    if (readRaw !== undefined && writeCorrupt !== undefined) {
      damageCases(stores, { readRaw, writeCorrupt })
    }
    if (contract.locks !== false) describe('lock', () => lockCases(stores))
  })
}
