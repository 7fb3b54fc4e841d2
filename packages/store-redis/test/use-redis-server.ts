import {
  type RedisCluster,
  type RedisSentinelGroup,
  type RedisServer,
  requireProgram,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
} from '@keyway/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'

/** The redis-server the tests run, or undefined (with a printed reason) where it is missing. */
export const redisProgram = requireProgram('redis-server', 'the Redis store tests')

/**
 * Starts a redis-server for the test file (when installed) and a plain client beside the
 * store's, for reading and damaging what the store wrote.
 */
export function useRedisServer(options: { readonly persist?: boolean } = {}) {
  let server: RedisServer | undefined
  let direct: Redis | undefined
  beforeAll(async () => {
    if (redisProgram === undefined) return
    server = await startRedisServer({ program: redisProgram, ...options })
    direct = new Redis(server.url, { lazyConnect: true })
    direct.on('error', () => undefined)
    await direct.connect()
  })
  afterAll(async () => {
    direct?.disconnect()
    await server?.close()
  })
  return {
    get server(): RedisServer {
      if (server === undefined) throw new Error('redis-server is not started')
      return server
    },
    get direct(): Redis {
      if (direct === undefined) throw new Error('redis-server is not started')
      return direct
    },
  }
}

/** redis-cli, which creates a Cluster and queries the processes; undefined where missing. */
export const redisCliProgram = requireProgram('redis-cli', 'the Redis Cluster and Sentinel tests')

/** Whether the Cluster and Sentinel tests can run. */
export const topologiesRunnable = redisProgram !== undefined && redisCliProgram !== undefined

/** Starts a resource for the test file (when the programs are there) and stops it after. */
function useStarted<T extends { close(): Promise<void> }>(start: () => Promise<T>, what: string) {
  let started: T | undefined
  beforeAll(async () => {
    if (topologiesRunnable) started = await start()
  }, 60_000)
  afterAll(async () => {
    await started?.close()
  })
  return () => {
    if (started === undefined) throw new Error(`${what} is not started`)
    return started
  }
}

/** A master, a replica and 3 sentinels for the test file; call the result for the group. */
export function useRedisSentinel(): () => RedisSentinelGroup {
  return useStarted(
    () => startRedisSentinel({ program: redisProgram ?? '', cli: redisCliProgram ?? '' }),
    'the Sentinel group',
  )
}

/** A 3-master Redis Cluster for the test file; call the result for the cluster. */
export function useRedisCluster(): () => RedisCluster {
  return useStarted(
    () => startRedisCluster({ program: redisProgram ?? '', cli: redisCliProgram ?? '' }),
    'the Redis Cluster',
  )
}
