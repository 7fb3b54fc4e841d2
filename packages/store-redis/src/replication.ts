import { KeywayError, KeywayErrorCodes } from '@keyway/core'
import type { Cluster, Redis } from 'ioredis'

/** A client the store talks through: one Redis (standalone or behind Sentinel), or a Cluster. */
export type RedisClient = Redis | Cluster

/** How many replicas must acknowledge a lock or a save, and how long the store waits. */
export interface ReplicationOptions {
  /** Replicas that must acknowledge; undefined: 1 when the topology has replicas, else 0. */
  readonly minReplicas: number | undefined
  /** How long `WAIT` waits for them, in ms. */
  readonly timeoutMs: number
}

/** A script's reply, and how many replicas acknowledged it out of how many were wanted. */
export interface Acknowledged {
  readonly reply: unknown
  readonly acknowledged: number
  readonly wanted: number
}

/** True for a Cluster client (ioredis marks it `isCluster`). */
export function isCluster(client: RedisClient): client is Cluster {
  return 'isCluster' in client && client.isCluster === true
}

/**
 * The replicas to wait for when the app set none: 1 behind Sentinel (there is a replica to
 * promote) and in a Cluster whose masters have replicas; 0 for a single node, where `WAIT`
 * could never be answered.
 */
function defaultReplicas(client: RedisClient): number {
  if (isCluster(client)) return client.nodes('slave').length > 0 ? 1 : 0
  return (client.options.sentinels?.length ?? 0) > 0 ? 1 : 0
}

/**
 * Runs the store's scripts so that what they write has reached replicas before it counts:
 * each script is followed, in the same pipeline (so on the same connection and, in a
 * Cluster, on the master of the script's keys), by `WAIT minReplicas timeout`. Redis
 * replicates asynchronously: a write no replica has yet is lost when a replica is promoted.
 */
export class ReplicaAcknowledgement {
  readonly #options: ReplicationOptions

  constructor(options: ReplicationOptions) {
    this.#options = options
  }

  /** The replicas a write must reach on `client`. */
  wanted(client: RedisClient): number {
    return this.#options.minReplicas ?? defaultReplicas(client)
  }

  /** How long a write waits for its replicas, in ms. */
  get timeoutMs(): number {
    return this.#options.timeoutMs
  }

  /** Runs `script` with `keys` and `args`, then waits for the replicas it must reach. */
  async run(
    client: RedisClient,
    script: string,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<Acknowledged> {
    const wanted = this.wanted(client)
    if (wanted === 0) {
      const reply = await client.eval(script, keys.length, ...keys, ...args)
      return { reply, acknowledged: 0, wanted }
    }
    const results = await client
      .pipeline()
      .eval(script, keys.length, ...keys, ...args)
      .wait(wanted, this.#options.timeoutMs)
      .exec()
    const [written, waited] = results ?? []
    if (written?.[0]) throw written[0]
    if (waited?.[0]) throw waited[0]
    return { reply: written?.[1], acknowledged: Number(waited?.[1] ?? 0), wanted }
  }
}

/**
 * The `store_error` for a write the master took but too few replicas acknowledged in time:
 * `what` names the write, `outcome` says what the store does about it.
 */
export function notAcknowledged(
  ack: Acknowledged,
  timeoutMs: number,
  what: string,
  outcome: string,
): KeywayError {
  return new KeywayError(
    KeywayErrorCodes.storeError,
    `${what} reached the Redis master, but only ${ack.acknowledged} of the ${ack.wanted} replica(s) the store waits for (minReplicas) acknowledged it within ${timeoutMs} ms, and a failover now could lose it: ${outcome}`,
  )
}
