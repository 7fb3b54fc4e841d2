import { redisStore } from '@keyway/store-redis'
import { findExecutable, startRedisCluster, startRedisSentinel } from '@keyway/testing'
import { measureCrossProcessRefreshes } from './xproc.js'

/** The built entry of the Redis store, as the worker processes import it. */
const REDIS_STORE = import.meta.resolve('@keyway/store-redis')

/** The programs a Cluster or a Sentinel group needs; undefined without them. */
function redisPrograms(): { readonly program: string; readonly cli: string } | undefined {
  const program = findExecutable('redis-server')
  const cli = findExecutable('redis-cli')
  return program === undefined || cli === undefined ? undefined : { program, cli }
}

/** {@link measureCrossProcessRefreshes} with a store shared through `options`. */
async function measureWith(options: Parameters<typeof redisStore>[0]): Promise<number> {
  const store = redisStore(options)
  try {
    return await measureCrossProcessRefreshes({
      store,
      child: { module: REDIS_STORE, factory: 'redisStore', options },
    })
  } finally {
    await store.close()
  }
}

/**
 * {@link measureCrossProcessRefreshes} on a 3-master Redis Cluster of its own; undefined
 * without redis-server and redis-cli.
 */
export async function measureClusterRefreshes(): Promise<number | undefined> {
  const programs = redisPrograms()
  if (programs === undefined) return undefined
  const cluster = await startRedisCluster(programs)
  try {
    return await measureWith({ cluster: { nodes: [...cluster.nodes] }, prefix: 'bench:' })
  } finally {
    await cluster.close()
  }
}

/**
 * {@link measureCrossProcessRefreshes} behind Sentinel (a master, a replica, 3 sentinels),
 * each save and lock acknowledged by the replica; undefined without redis-server and redis-cli.
 */
export async function measureSentinelRefreshes(): Promise<number | undefined> {
  const programs = redisPrograms()
  if (programs === undefined) return undefined
  const group = await startRedisSentinel(programs)
  try {
    const sentinel = { sentinels: [...group.sentinels], name: group.name }
    return await measureWith({ redisOptions: sentinel, prefix: 'bench:' })
  } finally {
    await group.close()
  }
}
