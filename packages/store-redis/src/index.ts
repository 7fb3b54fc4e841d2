/**
 * A Keyway token store in Redis (ioredis, loaded lazily), with a fenced distributed lock so
 * that a fleet of workers sharing one grant refreshes it once per expiry.
 *
 * @packageDocumentation
 */

export type { ClusterConnection } from './connection.js'
export { DEFAULT_PREFIX, type RedisKeyNames, redisKeyNames } from './key-names.js'
export { type RedisStoreOptions, type RedisTokenStore, redisStore } from './redis-store.js'
export type { RedisClient } from './replication.js'
