import { once } from 'node:events'
import { KeywayError, KeywayErrorCodes } from '@keyway/core'
import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis'
import { isCluster, type RedisClient } from './replication.js'

/** A Redis Cluster for the store to connect to: its startup nodes and ioredis options. */
export interface ClusterConnection {
  /** Some of the cluster's nodes (`host:port`, a port, or `{ host, port }`); ioredis finds the rest. */
  readonly nodes: readonly ClusterNode[]
  /** Extra ioredis `Cluster` options (TLS, a password in `redisOptions`, a NAT map, …). */
  readonly options?: ClusterOptions
}

/** How the store reaches Redis. */
export interface ConnectionOptions {
  /** `redis://[user:password@]host:port/db`. */
  readonly url?: string
  /** A client the app made; the store never closes it. */
  readonly client?: RedisClient
  /** A Cluster for the store to make its client for. */
  readonly cluster?: ClusterConnection
  /** Extra options for the client the store makes from `url` (`sentinels` and `name` too). */
  readonly redisOptions?: RedisOptions
  /** How long an operation waits for a connection before `store_unavailable`, in ms. */
  readonly unavailableAfter: number
}

const DEFAULT_URL = 'redis://127.0.0.1:6379'

/** The wait before reconnect `attempt`: doubling from 50 ms, at most 2 s. */
function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2_000)
}

function unavailable(cause?: unknown): KeywayError {
  return new KeywayError(
    KeywayErrorCodes.storeUnavailable,
    'Redis cannot be reached; the tokens in memory are kept.',
    { cause },
  )
}

/**
 * An error from a Redis command as a KeywayError: an error Redis itself replied with is a
 * `store_error`; a lost, refused or timed-out connection is `store_unavailable`.
 */
export function redisError(error: unknown, doing: string): KeywayError {
  if (error instanceof KeywayError) return error
  if (error instanceof Error && error.name === 'ReplyError') {
    return new KeywayError(KeywayErrorCodes.storeError, `Redis refused ${doing}.`, { cause: error })
  }
  return unavailable(error)
}

/**
 * The Redis client, made on first use with ioredis loaded then (a program that never touches
 * the store never loads it). Commands never queue while disconnected: they wait a bounded time
 * for the connection, then fail with `store_unavailable`, while ioredis keeps reconnecting.
 */
export class RedisConnection {
  readonly #options: ConnectionOptions
  #client: Promise<RedisClient> | undefined
  readonly #readyListeners = new Set<() => void>()
  readonly #announceReady = () => {
    for (const listener of [...this.#readyListeners]) listener()
  }
  readonly #watchNode = (node: Redis) => {
    if (!node.listeners('ready').includes(this.#announceReady))
      node.on('ready', this.#announceReady)
  }

  constructor(options: ConnectionOptions) {
    this.#options = options
  }

  async #create(): Promise<RedisClient> {
    const client = await this.#make()
    client.on('ready', this.#announceReady)
    if (isCluster(client)) {
      // A Cluster is ready once; each of its nodes is ready again after it reconnects.
      for (const node of client.nodes()) this.#watchNode(node)
      client.on('+node', this.#watchNode)
    }
    // Connected once listening, so that no node is added unwatched.
    if (this.#options.client === undefined) client.connect().catch(() => undefined)
    return client
  }

  async #make(): Promise<RedisClient> {
    if (this.#options.client !== undefined) return this.#options.client
    let ioredis: { readonly Redis: typeof Redis; readonly Cluster: typeof Cluster }
    try {
      ioredis = await import('ioredis')
    } catch (cause) {
      throw new KeywayError(
        KeywayErrorCodes.storeUnavailable,
        'The Redis store needs the ioredis package: install it next to @keyway/store-redis.',
        { cause },
      )
    }
    const client = this.#options.cluster
      ? this.#cluster(ioredis.Cluster, this.#options.cluster)
      : this.#redis(ioredis.Redis)
    // Errors surface on the commands that meet them; an unhandled `error` event would crash.
    client.on('error', () => undefined)
    return client
  }

  /** Options every connection the store makes shares: bounded waits, no offline queue. */
  #connectionOptions(): RedisOptions {
    return {
      maxRetriesPerRequest: 1,
      connectTimeout: this.#options.unavailableAfter,
      // A master that became a replica (after a failover) refuses writes: connect again, and
      // Sentinel or the Cluster's slots name the new master.
      reconnectOnError: (error) => error.message.startsWith('READONLY'),
    }
  }

  #redis(Client: typeof Redis): Redis {
    const options: RedisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
      ...this.#connectionOptions(),
      ...this.#options.redisOptions,
    }
    // Behind Sentinel, the sentinels name the master: a url would only add a wrong default.
    if ((options.sentinels?.length ?? 0) > 0 && this.#options.url === undefined) {
      return new Client(options)
    }
    return new Client(this.#options.url ?? DEFAULT_URL, options)
  }

  #cluster(Client: typeof Cluster, cluster: ClusterConnection): Cluster {
    return new Client([...cluster.nodes], {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      // A node that restarts (with its slots) is connected to again, and says so (`ready`).
      clusterNodeRetryStrategy: reconnectDelay,
      ...cluster.options,
      redisOptions: { ...this.#connectionOptions(), ...cluster.options?.redisOptions },
    })
  }

  /**
   * Calls `listener` every time the connection becomes ready: at the first connection and
   * whenever ioredis has reconnected after an outage. Returns the way to stop listening.
   */
  onReady(listener: () => void): () => void {
    this.#readyListeners.add(listener)
    return () => {
      this.#readyListeners.delete(listener)
    }
  }

  /** A client whose connection is ready, or `store_unavailable` after `unavailableAfter`. */
  async ready(): Promise<RedisClient> {
    this.#client ??= this.#create()
    const client = await this.#client
    if (client.status === 'ready') return client
    if (client.status === 'wait') client.connect().catch(() => undefined)
    if (client.status === 'end') throw unavailable()
    const signal = AbortSignal.timeout(this.#options.unavailableAfter)
    await once(client, 'ready', { signal }).catch((error: unknown) => {
      throw unavailable(error)
    })
    return client
  }

  /** Closes the client the store made; a client the app passed in is left open. */
  async close(): Promise<void> {
    const pending = this.#client
    this.#client = undefined
    // A client that could not be made (ioredis missing) has nothing to close.
    const client = await pending?.catch(() => undefined)
    if (client === undefined) return
    client.off('ready', this.#announceReady)
    client.off('+node', this.#watchNode)
    if (isCluster(client)) for (const node of client.nodes()) node.off('ready', this.#announceReady)
    if (this.#options.client !== undefined) return
    await client.quit().catch(() => client.disconnect())
  }
}
