import { randomUUID } from 'node:crypto'
import { KeywayErrorCodes, type StoreKey, type TokenSet } from '@keyway/core'
import { describe, expect, it } from 'vitest'
import { type RedisTokenStore, redisStore } from '../src/index.js'
import { codeOf, reconnected } from './outage-support.js'
import { redisProgram, useRedisServer } from './use-redis-server.js'

/** Long, so that a lock left behind by the outage would hold up the test past its timeout. */
const LEASE = 30_000
/** How long a test waits for a lock: far below the lease. */
const BOUND = 10_000

const key: StoreKey = {
  issuer: 'https://issuer.example.test/',
  clientId: 'app',
  profile: 'default',
}
const record: TokenSet = { accessToken: 'at-1', tokenType: 'Bearer', refreshToken: 'rt-1' }

function storeOn(url: string, prefix: string): RedisTokenStore {
  return redisStore({ url, prefix, unavailableAfter: 300 })
}

const lockWithin = (store: RedisTokenStore) =>
  store.lock(key, { leaseMs: LEASE, signal: AbortSignal.timeout(BOUND) })

describe.skipIf(redisProgram === undefined)('a lock released while Redis is down, AOF on', () => {
  const redis = useRedisServer({ persist: true })

  for (const taker of ['this store', 'another store'] as const) {
    it(`is released when Redis is back, so ${taker} takes it at once`, {
      timeout: LEASE - 5_000,
    }, async () => {
      const prefix = `lock-outage-${randomUUID()}:`
      const store = storeOn(redis.server.url, prefix)
      const other = taker === 'this store' ? store : storeOn(redis.server.url, prefix)
      try {
        const lock = await store.lock(key, { leaseMs: LEASE })
        await redis.server.stop('SIGKILL')
        // The release fails, and says so; the lock key is in the append-only file.
        expect(await codeOf(lock.release())).toBe(KeywayErrorCodes.storeUnavailable)
        await redis.server.restart()
        await reconnected(() => store.load(key))
        const next = await lockWithin(other)
        await next.release()
      } finally {
        await store.close()
        await other.close()
      }
    })
  }
})

describe.skipIf(redisProgram === undefined)('a lock after Redis lost its data, AOF off', () => {
  const redis = useRedisServer({ persist: false })

  it('says so, until the record is saved again; a deleted record is no lost data', async () => {
    const store = storeOn(redis.server.url, `lost-data-${randomUUID()}:`)
    const lockedDataLost = async () => {
      const lock = await lockWithin(store)
      await lock.release()
      return lock.dataLost
    }
    try {
      const first = await lockWithin(store)
      expect(first.dataLost).toBe(false)
      await store.save(key, record, { lock: first })
      await first.release()
      // A logout in another process deletes the record: Redis kept its data.
      await store.delete(key)
      expect(await lockedDataLost()).toBe(false)

      await redis.server.stop('SIGKILL')
      await redis.server.restart()
      await reconnected(() => store.load(key))
      expect(await lockedDataLost()).toBe(true)
      // Still lost, whatever locks come and go, until this store saves the record again.
      const again = await lockWithin(store)
      expect(again.dataLost).toBe(true)
      await store.save(key, record, { lock: again })
      await again.release()
      expect(await lockedDataLost()).toBe(false)
    } finally {
      await store.close()
    }
  })
})
