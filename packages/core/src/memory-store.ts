import { KeywayError, KeywayErrorCodes } from './errors.js'
import { LeaseLock } from './lease-lock.js'
import { type StoreKey, type StoreLock, storeKeyId, type TokenStore } from './ports/store.js'
import type { TokenSet } from './tokens.js'

/**
 * A {@link TokenStore} that keeps tokens in this process's memory: nothing survives a
 * restart. Its lock coordinates every Keyway instance in the process that shares it.
 *
 * @example
 * ```ts
 * import { createKeyway, memoryStore } from '@keyway/core'
 * const store = memoryStore()
 * const kw = createKeyway({ issuer, clientId, store })
 * ```
 */
export function memoryStore(): TokenStore {
  const records = new Map<string, TokenSet>()
  const locks = new Map<string, LeaseLock>()
  const lockFor = (key: StoreKey) => {
    const id = storeKeyId(key)
    let lock = locks.get(id)
    if (lock === undefined) {
      lock = new LeaseLock()
      locks.set(id, lock)
    }
    return lock
  }
  const assertFence = (key: StoreKey, held: StoreLock | undefined) => {
    const current = locks.get(storeKeyId(key))
    if (held?.fence !== undefined && current !== undefined && held.fence < current.fence) {
      throw new KeywayError(
        KeywayErrorCodes.storeError,
        'The store lock expired before the save: newer tokens may have been written since.',
      )
    }
  }
  return {
    name: 'memory',
    async load(key) {
      const tokens = records.get(storeKeyId(key))
      return tokens === undefined ? undefined : { ...tokens }
    },
    async save(key, tokens, options) {
      assertFence(key, options?.lock)
      records.set(storeKeyId(key), { ...tokens })
    },
    async delete(key) {
      records.delete(storeKeyId(key))
    },
    lock(key, options) {
      return lockFor(key).acquire(options)
    },
  }
}
