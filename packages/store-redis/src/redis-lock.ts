import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { abortError, KeywayError, type LockOptions, type StoreLock } from '@keyway/core'
import { type RedisConnection, redisError } from './connection.js'
import type { RedisKeyNames } from './key-names.js'
import {
  type Acknowledged,
  notAcknowledged,
  type RedisClient,
  type ReplicaAcknowledgement,
} from './replication.js'
import { ACQUIRE_LOCK, RELEASE_LOCK, TAKE_OVER_LOCK } from './scripts.js'

const FIRST_WAIT_MS = 10
const LONGEST_WAIT_MS = 250
const RETRY_RELEASE_MS = 250

/** A lock this process took: its key in Redis, its owner id, and when its lease ends. */
interface HeldLock {
  readonly key: string
  readonly owner: string
  /** Epoch ms after which Redis has let the lock go by itself. */
  readonly until: number
}

/**
 * A lock kept for tokens still to be saved: every owner id it may be held under (a take-over
 * whose reply was lost may have renamed it), and when its lease ends at the earliest.
 */
interface KeptLock {
  readonly key: string
  readonly owners: readonly string[]
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
 * lease ends. It is released as soon as the connection is ready again; so is a lock whose
 * request lost its reply (the script may have taken it), which no one would free otherwise.
 *
 * A lock is acknowledged by `minReplicas` replicas before it is handed out, so a promoted
 * replica has it (and its fence); and a lock under which a save failed is kept, not
 * released, until this store saves the key (see {@link RedisLocks.saveFailed}).
 */
export class RedisLocks {
  readonly #connection: RedisConnection
  /** Releases that failed, kept until one succeeds or the lock's lease ends. */
  readonly #unreleased = new Set<HeldLock>()
  /** The last fence this store was granted, per lock key. */
  readonly #lastFence = new Map<string, number>()
  /** Lock keys whose fence started over since this store last saved their record. */
  readonly #dataLost = new Set<string>()
  /** The next try of the releases that failed again once connected, when one is planned. */
  #retry: NodeJS.Timeout | undefined
  /** Lock keys whose record this store failed to save, and has not saved since. */
  readonly #unsaved = new Set<string>()
  /** Kept locks by lock key, for this store's next `acquire` of the key to take over. */
  readonly #kept = new Map<string, KeptLock>()

  readonly #replicas: ReplicaAcknowledgement

  constructor(connection: RedisConnection, replicas: ReplicaAcknowledgement) {
    this.#connection = connection
    this.#replicas = replicas
    connection.onReady(() => this.#releaseLeftovers())
  }

  /**
   * Takes the lock named `names.lock`, waiting while another holder has it; a lock this store
   * kept (see {@link RedisLocks.saveFailed}) is taken over at once.
   */
  async acquire(names: RedisKeyNames, options: LockOptions): Promise<StoreLock> {
    const { signal } = options
    const leaseMs = Math.max(1, Math.ceil(options.leaseMs))
    const owner = randomUUID()
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
      if (signal?.aborted) throw abortError(signal, 'Waiting for the Redis lock')
      // Kept by this store, perhaps while this call waited (its holder here gave it up).
      const taken = await this.#takeOverKept(names, leaseMs)
      if (taken !== undefined) return taken
      const client = await this.#connection.ready()
      const ack = await this.#replicas
        .run(client, ACQUIRE_LOCK, [names.lock, names.fence], [owner, leaseMs])
        .catch((error) => {
          this.#replyLost({ key: names.lock, owner, until: Date.now() + leaseMs })
          throw redisError(error, 'the lock')
        })
      const fence = Number(ack.reply)
      const lock = { key: names.lock, owner, until: Date.now() + leaseMs }
      if (fence > 0 && ack.acknowledged < ack.wanted) await this.#unacknowledged(client, lock, ack)
      if (fence > 0) {
        this.#noteFence(names.lock, fence)
        return this.#held(lock, fence)
      }
      await sleep(wait * (0.5 + Math.random()), undefined, { signal }).catch(() => {
        throw abortError(signal, 'Waiting for the Redis lock')
      })
    }
  }

  /**
   * Tells the store that a save of the record of the key locked by `names` failed (Redis was
   * down, failing over, or its replicas did not acknowledge), so this process may hold the
   * only live refresh token. Until a save succeeds, a lock on the key is kept past its
   * release: released, another process could take it, read the record the save did not
   * replace, and refresh with a refresh token the provider has rotated away, which costs the
   * whole fleet the grant. Kept, it blocks every other process until this one has saved (its
   * next `acquire` of the key takes the lock over) or the lease ends (this process died).
   */
  saveFailed(names: RedisKeyNames): void {
    this.#unsaved.add(names.lock)
  }

  /**
   * Takes over the lock this store kept on `names`; undefined when it kept none, or the lock
   * is gone (its lease ended). One taker only: another `acquire` meanwhile waits for the lock
   * like anyone else.
   */
  async #takeOverKept(names: RedisKeyNames, leaseMs: number): Promise<StoreLock | undefined> {
    const kept = this.#kept.get(names.lock)
    this.#kept.delete(names.lock)
    if (kept === undefined || Date.now() >= kept.until) return undefined
    const owner = randomUUID()
    let ack: Acknowledged
    try {
      const client = await this.#connection.ready()
      ack = await this.#replicas.run(
        client,
        TAKE_OVER_LOCK,
        [names.lock, names.fence],
        [owner, leaseMs, ...kept.owners],
      )
    } catch (error) {
      // Kept still, for the next try (Redis is down, or failing over). The script may have
      // run before the connection was lost: the lock may be held under the new owner id.
      if (!this.#kept.has(names.lock)) {
        this.#kept.set(names.lock, { ...kept, owners: [...kept.owners, owner] })
      }
      throw redisError(error, 'the lock')
    }
    const fence = Number(ack.reply)
    if (fence <= 0) return undefined
    const lock = { key: names.lock, owner, until: Date.now() + leaseMs }
    if (ack.acknowledged < ack.wanted) {
      // Still kept: it guards tokens no replica has yet.
      this.#kept.set(names.lock, { key: lock.key, owners: [owner], until: lock.until })
      throw notAcknowledged(
        ack,
        this.#replicas.timeoutMs,
        'The renewed refresh lock',
        'it stays held for the tokens still to be saved, and no refresh was made under it.',
      )
    }
    this.#kept.delete(names.lock)
    this.#noteFence(names.lock, fence)
    return this.#held(lock, fence)
  }

  /**
   * A lock request that failed (the connection was lost, as when the master dies mid-failover)
   * may have taken the lock all the same: the script ran, and its reply or the `WAIT` after it
   * was lost. Replicated, the lock would block every process on the promoted master until its
   * lease ends, with no one holding it; so it is released, under its owner id (a lock that
   * was never taken, or is someone else's, is left alone), as soon as Redis answers again.
   * Nothing was refreshed under it: it was never handed out.
   */
  #replyLost(lock: HeldLock): void {
    this.#unreleased.add(lock)
    void this.#releaseLeftovers()
  }

  /**
   * A lock the replicas did not acknowledge would be gone after a failover, and a holder on
   * the new master could refresh with the same refresh token: it is given back, and no
   * refresh is made under it.
   */
  async #unacknowledged(client: RedisClient, lock: HeldLock, ack: Acknowledged): Promise<never> {
    await client.eval(RELEASE_LOCK, 1, lock.key, lock.owner).catch(() => {
      this.#unreleased.add(lock)
    })
    throw notAcknowledged(
      ack,
      this.#replicas.timeoutMs,
      'The refresh lock',
      'it was given back, and no refresh was made under it.',
    )
  }

  /**
   * Tells the store that the record of the key locked by `names` was saved: what Redis
   * holds is this store's again, whatever it lost before.
   */
  saved(names: RedisKeyNames): void {
    this.#dataLost.delete(names.lock)
    this.#unsaved.delete(names.lock)
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
        if (this.#unsaved.has(lock.key)) {
          this.#kept.set(lock.key, { key: lock.key, owners: [lock.owner], until: lock.until })
          return
        }
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
  async #releaseLeftovers(): Promise<void> {
    const client = await this.#connection.ready().catch(() => undefined)
    // Still unreachable: the next `ready` tries again.
    if (client === undefined) return
    for (const lock of [...this.#unreleased]) {
      this.#unreleased.delete(lock)
      if (Date.now() >= lock.until) continue
      // Deletes the lock only while this owner still holds it, so a late try is harmless.
      await client.eval(RELEASE_LOCK, 1, lock.key, lock.owner).catch(() => {
        this.#unreleased.add(lock)
      })
    }
    // Connected but refused (a Cluster node back before its cluster is): try again shortly.
    if (this.#unreleased.size > 0 && this.#retry === undefined) {
      this.#retry = setTimeout(() => {
        this.#retry = undefined
        void this.#releaseLeftovers()
      }, RETRY_RELEASE_MS)
      this.#retry.unref()
    }
  }
}
