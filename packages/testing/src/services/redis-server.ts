import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningProgram, startProgram } from './child-program.js'
import { freeLoopbackPort } from './free-port.js'

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

const READY = 'Ready to accept connections'

function launch(program: string, port: number, dir: string, persist: boolean) {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '']
  args.push('--appendonly', persist ? 'yes' : 'no', '--appendfsync', 'always')
  return startProgram(program, args, {
    ready: (output) => output.includes(READY) || output.includes('Address already in use'),
  }).then((running) => {
    if (running.output().includes(READY)) return running
    return running.stop().then(() => undefined)
  })
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
  let running: RunningProgram | undefined
  let port = 0
  for (let attempt = 0; running === undefined && attempt < 5; attempt++) {
    port = await freeLoopbackPort()
    running = await launch(program, port, dir, persist)
  }
  if (running === undefined) throw new Error('redis-server found no free port')
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
      current = await launch(program, port, dir, persist)
      if (current === undefined) throw new Error(`port ${port} was taken while Redis was down`)
    },
    async close() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
