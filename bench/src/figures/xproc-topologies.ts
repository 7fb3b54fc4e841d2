import { findExecutable, startRedisCluster, startRedisSentinel } from '@keyway/testing'
import { measureRedisRefreshesWith } from './xproc-backends.js'

/** The programs a Cluster or a Sentinel group needs; undefined without them. */
function redisPrograms(): { readonly program: string; readonly cli: string } | undefined {
  const program = findExecutable('redis-server')
  const cli = findExecutable('redis-cli')
  return program === undefined || cli === undefined ? undefined : { program, cli }
}

/**
 * {@link measureRedisRefreshesWith} on a 3-master Redis Cluster of its own; undefined
 * without redis-server and redis-cli.
 */
export async function measureClusterRefreshes(): Promise<number | undefined> {
  const programs = redisPrograms()
  if (programs === undefined) return undefined
  const cluster = await startRedisCluster(programs)
  try {
    return await measureRedisRefreshesWith({
      cluster: { nodes: [...cluster.nodes] },
      prefix: 'bench:',
    })
  } finally {
    await cluster.close()
  }
}

/**
 * {@link measureRedisRefreshesWith} behind Sentinel (a master, a replica, 3 sentinels),
 * each save and lock acknowledged by the replica; undefined without redis-server and redis-cli.
 */
export async function measureSentinelRefreshes(): Promise<number | undefined> {
  const programs = redisPrograms()
  if (programs === undefined) return undefined
  const group = await startRedisSentinel(programs)
  try {
    const sentinel = { sentinels: [...group.sentinels], name: group.name }
    return await measureRedisRefreshesWith({ redisOptions: sentinel, prefix: 'bench:' })
  } finally {
    await group.close()
  }
}
