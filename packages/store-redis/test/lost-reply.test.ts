import { randomUUID } from 'node:crypto'
import type { StoreKey } from '@keyway/core'
import { describe, expect, it } from 'vitest'
import { type RedisTokenStore, redisKeyNames, redisStore } from '../src/index.js'
import { startReplyDroppingProxy } from './reply-dropping-proxy.js'
import { redisProgram, useRedisServer } from './use-redis-server.js'

/** Long, so that a lock left behind would hold up the other store past its bound. */
const LEASE = 30_000
/** How long the other store waits for the lock: far below the lease. */
const BOUND = 10_000

const key: StoreKey = {
  issuer: 'https://issuer.example.test/',
  clientId: 'app',
  profile: 'default',
}

describe.skipIf(redisProgram === undefined)('a lock request whose reply is lost', () => {
  const redis = useRedisServer()

  // As when a master dies after running the lock script, before its reply (or the WAIT after
  // it) came back: the lock is in Redis, under an owner id no caller was given. ioredis sends
  // the script again once reconnected; that second run must find the lock the first one took.
  it('has the lock its lost first run took, and no lock is left behind for a whole lease', {
    timeout: LEASE - 5_000,
  }, async () => {
    const proxy = await startReplyDroppingProxy(redis.server.port)
    const prefix = `lost-reply-${randomUUID()}:`
    const store = redisStore({ url: proxy.url, prefix, unavailableAfter: 300 })
    const other = redisStore({ url: redis.server.url, prefix, unavailableAfter: 300 })
    const lockWithin = (taker: RedisTokenStore) =>
      taker.lock(key, { leaseMs: LEASE, signal: AbortSignal.timeout(BOUND) })
    try {
      await store.load(key)
      const dropped = proxy.dropReplyTo("'PX'")
      const taken = await lockWithin(store)
      await dropped
      expect(taken.fence).toBeGreaterThan(0)
      await taken.release()
      const next = await lockWithin(other)
      await next.release()
      expect(await redis.direct.exists(redisKeyNames(key, prefix).lock)).toBe(0)
    } finally {
      await store.close()
      await other.close()
      await proxy.close()
    }
  })
})
