import { randomBytes } from 'node:crypto'
import {
  abortError,
  configError,
  KeywayError,
  KeywayErrorCodes,
  type LoadContext,
  type LockOptions,
  parseStoredTokens,
  type StoreKey,
  type StoreLock,
  serializeTokens,
  type TokenSet,
  type TokenStore,
} from '@keyway/core'
import type { RedisOptions } from 'ioredis'
import { type ClusterConnection, RedisConnection, redisError } from './connection.js'
import { DEFAULT_PREFIX, type RedisKeyNames, redisKeyNames } from './key-names.js'
import { RedisLocks } from './redis-lock.js'
import { notAcknowledged, type RedisClient, ReplicaAcknowledgement } from './replication.js'
import { SAVE_FENCED, SET_ASIDE } from './scripts.js'

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** Where Redis is: `redis://[user:password@]host:port/db`. Default `redis://127.0.0.1:6379`. */
  readonly url?: string
  /**
   * An ioredis client the app already has, a `Redis` (one node, or a master behind Sentinel)
   * or a `Cluster`, used instead of `url`; the store never closes it.
   */
  readonly client?: RedisClient
  /**
   * A Redis Cluster for the store to connect to, instead of `url`: some of its nodes, and
   * extra ioredis `Cluster` options. The store's keys for one grant share a hash tag, so they
   * live in one slot.
   */
  readonly cluster?: ClusterConnection
  /**
   * Extra ioredis options for the client the store makes from `url` (TLS, a password, …).
   * With `sentinels` and `name`, the client asks the sentinels for the master (no `url`).
   */
  readonly redisOptions?: RedisOptions
  /**
   * How many replicas must acknowledge (`WAIT`) a save and a lock before they count: a write
   * the replicas do not have is lost when one of them is promoted. A save they do not
   * acknowledge in time fails with `store_error` (Keyway keeps the tokens in memory and saves
   * them again); a lock, likewise, is given back and no refresh made under it. Default: 1
   * behind Sentinel and in a Cluster whose masters have replicas, 0 for a single node.
   */
  readonly minReplicas?: number
  /** How long a save or a lock waits for `minReplicas` acknowledgements, in ms. Default 1 000. */
  readonly replicaTimeout?: number
  /** Put before every key the store writes. Default `keyway:`. */
  readonly prefix?: string
  /**
   * How long an operation waits for a connection before it fails with `store_unavailable`, in
   * ms. Default 2 000. Meanwhile ioredis keeps reconnecting in the background.
   */
  readonly unavailableAfter?: number
}

/** A {@link TokenStore} in Redis; see {@link redisStore}. */
export interface RedisTokenStore extends TokenStore {
  /** Takes the cross-process lock on `key`: this store always has one. */
  lock(key: StoreKey, options: LockOptions): Promise<StoreLock>
  /** Resolves the next time the connection to Redis becomes ready (after an outage). */
  whenAvailable(options: { readonly signal: AbortSignal }): Promise<void>
  /** Closes the connection the store made (not a client the app passed in). */
  close(): Promise<void>
}

function staleHolder(): KeywayError {
  return new KeywayError(
    KeywayErrorCodes.storeError,
    'The Redis lock expired before the save and was taken since: newer tokens are kept.',
  )
}

class RedisStore implements RedisTokenStore {
  readonly name = 'redis'
  readonly #connection: RedisConnection
  readonly #locks: RedisLocks
  readonly #prefix: string
  readonly #replicas: ReplicaAcknowledgement

  constructor(connection: RedisConnection, prefix: string, replicas: ReplicaAcknowledgement) {
    this.#connection = connection
    this.#replicas = replicas
    this.#locks = new RedisLocks(connection, replicas)
    this.#prefix = prefix
  }

  #names(key: StoreKey): RedisKeyNames {
    return redisKeyNames(key, this.#prefix)
  }

  async #run<T>(doing: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    const client = await this.#connection.ready()
    return command(client).catch((error: unknown) => {
      throw redisError(error, doing)
    })
  }

  async load(key: StoreKey, context?: LoadContext): Promise<TokenSet | undefined> {
    const names = this.#names(key)
    const text = await this.#run('the read', (client) => client.get(names.tokens))
    if (text === null) return undefined
    const parsed = parseStoredTokens(text)
    if (parsed._tag === 'Right') return parsed.right
    const aside = `${names.asidePrefix}${Date.now()}-${randomBytes(3).toString('hex')}`
    await this.#run('setting damaged data aside', (client) =>
      client.eval(SET_ASIDE, 2, names.tokens, aside, text),
    )
    context?.report(
      new KeywayError(
        KeywayErrorCodes.storeError,
        `A stored token record in Redis was unreadable and was set aside. ${parsed.left.message}`,
        { cause: parsed.left },
      ),
    )
    return undefined
  }

  async save(key: StoreKey, tokens: TokenSet, options?: { readonly lock?: StoreLock }) {
    const names = this.#names(key)
    const fence = options?.lock?.fence
    const ack = await this.#run('the write', (client) =>
      this.#replicas.run(
        client,
        SAVE_FENCED,
        [names.tokens, names.fence],
        [serializeTokens(tokens), fence ?? ''],
      ),
    ).catch((error: unknown) => {
      this.#locks.saveFailed(names)
      throw error
    })
    if (Number(ack.reply) !== 1) throw staleHolder()
    if (ack.acknowledged < ack.wanted) {
      this.#locks.saveFailed(names)
      throw notAcknowledged(
        ack,
        this.#replicas.timeoutMs,
        'The save of the tokens',
        'they are kept in memory and saved again.',
      )
    }
    this.#locks.saved(names)
  }

  async delete(key: StoreKey): Promise<void> {
    await this.#run('the delete', (client) => client.del(this.#names(key).tokens))
  }

  lock(key: StoreKey, options: LockOptions): Promise<StoreLock> {
    return this.#locks.acquire(this.#names(key), options)
  }

  whenAvailable({ signal }: { readonly signal: AbortSignal }): Promise<void> {
    if (signal.aborted) return Promise.reject(abortError(signal, 'Waiting for Redis'))
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        stopListening()
        reject(abortError(signal, 'Waiting for Redis'))
      }
      const stopListening = this.#connection.onReady(() => {
        stopListening()
        signal.removeEventListener('abort', onAbort)
        resolve()
      })
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  close(): Promise<void> {
    return this.#connection.close()
  }
}

/**
 * A {@link TokenStore} in Redis, for a fleet of workers acting for one account: every process
 * on the same Redis and prefix shares the grant, and refreshes it once.
 *
 * - ioredis is loaded on first use, and the connection made then; `close()` ends it.
 * - `lock()` is `SET NX PX` with a fencing token (`INCR`); a save made under a lock whose
 *   lease ran out, after someone else took it, is refused by a Lua script, so a stalled
 *   holder cannot overwrite newer tokens.
 * - While Redis is down, operations fail after `unavailableAfter` with `store_unavailable`
 *   (Keyway keeps serving the tokens it holds in memory), and ioredis reconnects. A lock
 *   whose release failed is released as soon as Redis answers again, so a lock that an
 *   append-only file brought back does not block the next refresh for a whole lease; and
 *   `whenAvailable()` tells Keyway when to save the tokens whose save the outage cut off.
 * - A damaged record is renamed aside (`…:corrupt:<time>-<id>`) and reported.
 * - Behind Sentinel or in a Cluster, each lock and save waits (`WAIT`) for `minReplicas`
 *   replicas, so a failover does not roll the grant back; and a lock under which a save
 *   failed stays held until this store has saved the tokens (see the README's "Failover").
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { redisStore } from '@keyway/store-redis'
 *
 * const store = redisStore({ url: process.env.REDIS_URL, prefix: 'billing-worker:' })
 * const kw = createKeyway({ issuer, clientId, clientSecret, store })
 * // … on shutdown:
 * kw.stop()
 * await store.close()
 * ```
 * @example Behind Sentinel, and on a Cluster
 * ```ts
 * const sentinel = redisStore({
 *   redisOptions: { sentinels: [{ host: 'sentinel-1', port: 26379 }], name: 'mymaster' },
 * })
 * const cluster = redisStore({ cluster: { nodes: [{ host: 'redis-1', port: 6379 }] } })
 * ```
 */
export function redisStore(options: RedisStoreOptions = {}): RedisTokenStore {
  const prefix = options.prefix ?? DEFAULT_PREFIX
  if (typeof prefix !== 'string') throw configError('redisStore: prefix must be a string.')
  const unavailableAfter = options.unavailableAfter ?? 2_000
  if (!Number.isFinite(unavailableAfter) || unavailableAfter <= 0) {
    throw configError('redisStore: unavailableAfter must be a positive number of milliseconds.')
  }
  const targets = [options.url, options.client, options.cluster].filter((given) => given != null)
  if (targets.length > 1) {
    throw configError('redisStore: give one of url, client and cluster.')
  }
  const { minReplicas, replicaTimeout = 1_000 } = options
  if (minReplicas !== undefined && !(Number.isSafeInteger(minReplicas) && minReplicas >= 0)) {
    throw configError('redisStore: minReplicas must be a whole number, 0 or more.')
  }
  if (!Number.isSafeInteger(replicaTimeout) || replicaTimeout <= 0) {
    throw configError('redisStore: replicaTimeout must be a positive whole number of milliseconds.')
  }
  const connection = new RedisConnection({
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.client === undefined ? {} : { client: options.client }),
    ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
    ...(options.redisOptions === undefined ? {} : { redisOptions: options.redisOptions }),
    unavailableAfter,
  })
  const replicas = new ReplicaAcknowledgement({ minReplicas, timeoutMs: replicaTimeout })
  return new RedisStore(connection, prefix, replicas)
}
