import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { abortError, KeywayError, type LockOptions, type StoreLock } from '@keyway/core'
import type { Redis } from 'ioredis'
import { type RedisConnection, redisError } from './connection.js'
import type { RedisKeyNames } from './key-names.js'
import { ACQUIRE_LOCK, RELEASE_LOCK } from './scripts.js'

const FIRST_WAIT_MS = 10
const LONGEST_WAIT_MS = 250

/** A lock this process took: its key in Redis, its owner id, and when its lease ends. */
interface HeldLock {
  readonly key: string
  readonly owner: string
  /** Epoch ms after which Redis has let the lock go by itself. */
  readonly until: number
}

function notReleased(cause: unknown): KeywayError {
  const classified = redisError(cause, 'the lock release')
  return new KeywayError(
    classified.code,
    'The Redis refresh lock could not be released; it is released as soon as Redis answers again, or frees itself when its lease ends.',
    { cause: classified },
  )
}

/**
 * The store's refresh locks in Redis: `SET NX PX` with a random owner id, and an `INCR`ed
 * fence in the same script. While another holder has a lock, `acquire` waits with a jittered
 * backoff; the lease is Redis's own expiry, so a holder that died blocks no one past it.
 *
 * A release that fails (Redis is down) is not dropped: with persistence on, the lock comes
 * back when Redis restarts and would block every taker, in this process or another, until its
 * lease ends. It is released as soon as the connection is ready again.
 */
export class RedisLocks {
  readonly #connection: RedisConnection
  /** Releases that failed, kept until one succeeds or the lock's lease ends. */
  readonly #unreleased = new Set<HeldLock>()
  /** The last fence this store was granted, per lock key. */
  readonly #lastFence = new Map<string, number>()
  /** Lock keys whose fence started over since this store last saved their record. */
  readonly #dataLost = new Set<string>()

  constructor(connection: RedisConnection) {
    this.#connection = connection
    connection.onReady(() => {
      this.#connection
        .ready()
        .then((client) => this.#releaseLeftovers(client))
        // Still unreachable: the next `ready` tries again.
        .catch(() => undefined)
    })
  }

  /** Takes the lock named `names.lock`, waiting while another holder has it. */
  async acquire(names: RedisKeyNames, options: LockOptions): Promise<StoreLock> {
    const { signal } = options
    const owner = randomUUID()
    const leaseMs = Math.max(1, Math.ceil(options.leaseMs))
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
      if (signal?.aborted) throw abortError(signal, 'Waiting for the Redis lock')
      const client = await this.#connection.ready()
      const fence = Number(
        await client
          .eval(ACQUIRE_LOCK, 2, names.lock, names.fence, owner, leaseMs)
          .catch((error) => {
            throw redisError(error, 'the lock')
          }),
      )
      if (fence > 0) {
        this.#noteFence(names.lock, fence)
        return this.#held({ key: names.lock, owner, until: Date.now() + leaseMs }, fence)
      }
      await sleep(wait * (0.5 + Math.random()), undefined, { signal }).catch(() => {
        throw abortError(signal, 'Waiting for the Redis lock')
      })
    }
  }

  /**
   * Tells the store that the record of the key locked by `names` was saved: what Redis
   * holds is this store's again, whatever it lost before.
   */
  saved(names: RedisKeyNames): void {
    this.#dataLost.delete(names.lock)
  }

  /**
   * Fences only grow while Redis keeps its data: one no greater than the last this store was
   * granted means Redis started again without it (no persistence, or a lost disk).
   */
  #noteFence(key: string, fence: number): void {
    const last = this.#lastFence.get(key)
    if (last !== undefined && fence <= last) this.#dataLost.add(key)
    this.#lastFence.set(key, fence)
  }

  #held(lock: HeldLock, fence: number): StoreLock {
    let released = false
    return {
      fence,
      dataLost: this.#dataLost.has(lock.key),
      release: async () => {
        if (released) return
        released = true
        try {
          const client = await this.#connection.ready()
          await client.eval(RELEASE_LOCK, 1, lock.key, lock.owner)
        } catch (error) {
          this.#unreleased.add(lock)
          throw notReleased(error)
        }
      },
    }
  }

  /**
   * Releases the locks whose release failed; one that fails again stays for the next try, and
   * one whose lease has ended is forgotten.
   */
  async #releaseLeftovers(client: Redis): Promise<void> {
    for (const lock of [...this.#unreleased]) {
      this.#unreleased.delete(lock)
      if (Date.now() >= lock.until) continue
      // Deletes the lock only while this owner still holds it, so a late try is harmless.
      await client.eval(RELEASE_LOCK, 1, lock.key, lock.owner).catch(() => {
        this.#unreleased.add(lock)
      })
    }
  }
}
