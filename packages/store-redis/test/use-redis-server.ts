import { type RedisServer, requireProgram, startRedisServer } from '@keyway/testing'
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
