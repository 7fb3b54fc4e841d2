import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { type Disruption, type Moment, runFleet } from './fleet-support.js'
import { topologiesRunnable, useRedisSentinel } from './use-redis-server.js'

const MOMENTS: readonly Moment[] = ['token-answered', 'lock-taken', 'after-save']

describe.skipIf(!topologiesRunnable)('behind Sentinel, through failovers', () => {
  const group = useRedisSentinel()

  it('loses no grant when the master is killed during refreshes, 8 processes sharing it', {
    timeout: 150_000,
  }, async () => {
    const sentinel = { sentinels: [...group().sentinels], name: group().name }
    const options = { redisOptions: sentinel, prefix: `sentinel-${randomUUID()}:` }
    const store = redisStore(options)
    const watch = new Redis({ ...sentinel, enableOfflineQueue: false, maxRetriesPerRequest: 0 })
    watch.on('error', () => undefined)
    const failovers: { readonly from: number; readonly to: number }[] = []
    const disruptions = MOMENTS.map(
      (moment): Disruption => ({
        moment,
        run: async () => {
          failovers.push(await group().failover())
        },
      }),
    )
    try {
      const outcome = await runFleet(
        {
          store,
          prefix: options.prefix,
          watch,
          child: {
            module: new URL('../dist/index.js', import.meta.url).href,
            factory: 'redisStore',
            options,
          },
        },
        disruptions,
      )
      process.stdout.write(
        `sentinel: ${failovers.length} failovers (${outcome.struck.join(', ')}), ${outcome.refreshes} refreshes, ${outcome.extraRefreshes} extra, failures ${JSON.stringify(outcome.failures)}\n`,
      )
      // No refresh token was used twice: the provider revoked nothing, no worker lost the grant.
      expect(Object.keys(outcome.grantErrors)).toEqual([])
      expect(
        Object.keys(outcome.failures).filter((what) => what.includes('login_required')),
      ).toEqual([])
      expect(outcome.extraRefreshes).toBeLessThanOrEqual(failovers.length)
      expect(outcome.stalled).toBe(false)
      expect(outcome.struck).toEqual(MOMENTS)
      // Every kill promoted the other node.
      expect(failovers.map(({ from, to }) => from !== to)).toEqual([true, true, true])
    } finally {
      watch.disconnect()
      await store.close()
    }
  })
})
