import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningProgram } from './child-program.js'
import { baseRedisArgs, launchRedis, launchRedisOnFreePort } from './redis-process.js'

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The `redis-server` to run, as `requireProgram()` found it. Default `redis-server`. */
  readonly program?: string
  /**
   * Keep the data across {@link RedisServer.restart} (an append-only file in a temporary
   * folder, synced on every write). Default false: nothing touches the disk.
   */
  readonly persist?: boolean
}

/** A `redis-server` that a test started on a free loopback port. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string
  readonly port: number
  /**
   * Stops the server, as an outage would: SIGTERM, or `signal` (`SIGKILL` for a crash);
   * {@link RedisServer.restart} brings it back.
   */
  stop(signal?: NodeJS.Signals): Promise<void>
  /** Starts the server again on the same port (with its data when `persist` was set). */
  restart(): Promise<void>
  /** Stops the server for good and removes its folder. */
  close(): Promise<void>
}

function serverArgs(port: number, dir: string, persist: boolean): string[] {
  const args = baseRedisArgs(port, dir)
  args.push('--appendonly', persist ? 'yes' : 'no', '--appendfsync', 'always')
  return args
}

/**
 * Starts a real `redis-server` on 127.0.0.1 and a free port, for the tests of the Redis store.
 *
 * @example
 * ```ts
 * const program = requireProgram('redis-server', 'the Redis store tests')
 * const redis = await startRedisServer({ program })
 * const store = redisStore({ url: redis.url })
 * await redis.close()
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const program = options.program ?? 'redis-server'
  const persist = options.persist === true
  const dir = await mkdtemp(join(tmpdir(), 'keyway-redis-'))
  const { port, running } = await launchRedisOnFreePort(program, (free) =>
    serverArgs(free, dir, persist),
  )
  let current: RunningProgram | undefined = running
  const stop = async (signal?: NodeJS.Signals) => {
    await current?.stop(signal)
    current = undefined
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async restart() {
      await stop()
      current = await launchRedis(program, serverArgs(port, dir, persist))
      if (current === undefined) throw new Error(`port ${port} was taken while Redis was down`)
    },
    async close() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
