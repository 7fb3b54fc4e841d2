import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { describeTokenStore } from '@keyway/testing/store-contract'
import { Cluster } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisTokenStore, redisKeyNames, redisStore } from '../src/index.js'
import { type Disruption, type Moment, runFleet } from './fleet-support.js'
import { topologiesRunnable, useRedisCluster } from './use-redis-server.js'

const PREFIX = 'cluster-contract:'
const MOMENTS: readonly Moment[] = ['token-answered', 'lock-taken']
/** How long the master stays down: a crash and a restart by a supervisor. */
const DOWN_MS = 1_000

describe.skipIf(!topologiesRunnable)('on a 3-master Redis Cluster', () => {
  const cluster = useRedisCluster()
  let direct: Cluster | undefined
  beforeAll(async () => {
    direct = new Cluster([...cluster().nodes], { enableOfflineQueue: false })
    direct.on('error', () => undefined)
    await once(direct, 'ready')
  })
  afterAll(() => {
    direct?.disconnect()
  })
  /** A plain Cluster client beside the store's, for reading and damaging what it wrote. */
  const plain = (): Cluster => {
    if (direct === undefined) throw new Error('the plain Cluster client is not connected')
    return direct
  }

  describeTokenStore(
    'redis store',
    () => redisStore({ cluster: { nodes: [...cluster().nodes] }, prefix: PREFIX }),
    {
      async readRaw(key) {
        const text = await plain().get(redisKeyNames(key, PREFIX).tokens)
        return text === null ? undefined : JSON.parse(text)
      },
      async writeCorrupt(key, text) {
        await plain().set(redisKeyNames(key, PREFIX).tokens, text)
      },
      async countSetAside(key) {
        const pattern = `${redisKeyNames(key, PREFIX).asidePrefix}*`.replace(/[{}]/g, '\\$&')
        const perNode = await Promise.all(
          plain()
            .nodes('master')
            .map((node) => node.keys(pattern)),
        )
        return perNode.flat().length
      },
      dispose: (store) => (store as RedisTokenStore).close(),
    },
  )

  it('takes a Cluster client the app made, and never closes it', async () => {
    const client = new Cluster([...cluster().nodes], { enableOfflineQueue: false })
    const store = redisStore({ client, prefix: `cluster-client-${randomUUID()}:` })
    const key = { issuer: 'https://issuer.example', clientId: 'worker', profile: 'default' }
    try {
      const lock = await store.lock(key, { leaseMs: 5_000 })
      await store.save(key, { accessToken: 'a', tokenType: 'Bearer' }, { lock })
      await lock.release()
      expect((await store.load(key))?.accessToken).toBe('a')
      await store.close()
      expect(client.status).toBe('ready')
    } finally {
      client.disconnect()
    }
  })

  it('loses no grant when the master of the grant is killed and restarted, 8 processes sharing it', {
    timeout: 120_000,
  }, async () => {
    const options = { cluster: { nodes: [...cluster().nodes] }, prefix: `cluster-${randomUUID()}:` }
    const store = redisStore(options)
    const restarts: number[] = []
    const disruptions = MOMENTS.map((moment): Disruption => {
      let port = 0
      return {
        moment,
        async prepare(names) {
          port = await cluster().masterOf(names.lock)
        },
        async run() {
          await cluster().kill(port)
          await sleep(DOWN_MS)
          await cluster().restart(port)
          restarts.push(port)
        },
      }
    })
    try {
      const outcome = await runFleet(
        {
          store,
          prefix: options.prefix,
          watch: plain(),
          child: {
            module: new URL('../dist/index.js', import.meta.url).href,
            factory: 'redisStore',
            options,
          },
        },
        disruptions,
      )
      process.stdout.write(
        `cluster: ${restarts.length} master restarts (${outcome.struck.join(', ')}), ${outcome.refreshes} refreshes, ${outcome.extraRefreshes} extra, failures ${JSON.stringify(outcome.failures)}\n`,
      )
      expect(Object.keys(outcome.grantErrors)).toEqual([])
      expect(
        Object.keys(outcome.failures).filter((what) => what.includes('login_required')),
      ).toEqual([])
      expect(outcome.extraRefreshes).toBeLessThanOrEqual(restarts.length)
      expect(outcome.stalled).toBe(false)
      expect(outcome.struck).toEqual(MOMENTS)
    } finally {
      await store.close()
    }
  })
})
