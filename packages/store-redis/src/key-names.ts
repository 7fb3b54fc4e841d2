import { createHash } from 'node:crypto'
import { type StoreKey, storeKeyId } from '@keyway/core'

/** The prefix of every Redis key the store writes, unless the app picks another. */
export const DEFAULT_PREFIX = 'keyway:'

/** The Redis keys that belong to one store key. */
export interface RedisKeyNames {
  /** The stored record (JSON). */
  readonly tokens: string
  /** The refresh lock: `SET NX PX`, holding its owner's id. */
  readonly lock: string
  /** The fencing counter: `INCR` on every lock acquisition. */
  readonly fence: string
  /** The start of the names under which damaged records are set aside. */
  readonly asidePrefix: string
}

/**
 * The Redis keys for `key` under `prefix`. The store key is hashed (issuers and client ids may
 * hold any character) inside a `{…}` hash tag, so that all of one key's names land in the same
 * Redis Cluster slot, as the store's Lua scripts require.
 */
export function redisKeyNames(key: StoreKey, prefix: string = DEFAULT_PREFIX): RedisKeyNames {
  const digest = createHash('sha256').update(storeKeyId(key)).digest('hex').slice(0, 32)
  const base = `${prefix}{${digest}}`
  return {
    tokens: `${base}:tokens`,
    lock: `${base}:lock`,
    fence: `${base}:fence`,
    asidePrefix: `${base}:corrupt:`,
  }
}
