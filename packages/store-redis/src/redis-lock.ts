import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { abortError, type LockOptions, type StoreLock } from '@keyway/core'
import { type RedisConnection, redisError } from './connection.js'
import type { RedisKeyNames } from './key-names.js'
import { ACQUIRE_LOCK, RELEASE_LOCK } from './scripts.js'

const FIRST_WAIT_MS = 10
const LONGEST_WAIT_MS = 250

/**
 * Takes the lock on one key in Redis: `SET NX PX` with a random owner id, and an `INCR`ed
 * fence in the same script. While another holder has it, waits with a jittered backoff; the
 * lease is Redis's own expiry, so a holder that died blocks no one past it.
 */
export async function acquireRedisLock(
  connection: RedisConnection,
  names: RedisKeyNames,
  options: LockOptions,
): Promise<StoreLock> {
  const { signal } = options
  const owner = randomUUID()
  const leaseMs = Math.max(1, Math.ceil(options.leaseMs))
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
    if (signal?.aborted) throw abortError(signal, 'Waiting for the Redis lock')
    const client = await connection.ready()
    const fence = Number(
      await client.eval(ACQUIRE_LOCK, 2, names.lock, names.fence, owner, leaseMs).catch((error) => {
        throw redisError(error, 'the lock')
      }),
    )
    if (fence > 0) {
      let released = false
      return {
        fence,
        async release() {
          if (released) return
          released = true
          const ready = await connection.ready().catch(() => undefined)
          // Unreachable Redis: the lease frees the lock by itself.
          await ready?.eval(RELEASE_LOCK, 1, names.lock, owner).catch(() => undefined)
        },
      }
    }
    await sleep(wait * (0.5 + Math.random()), undefined, { signal }).catch(() => {
      throw abortError(signal, 'Waiting for the Redis lock')
    })
  }
}
