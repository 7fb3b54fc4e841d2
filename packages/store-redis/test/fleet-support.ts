import { setTimeout as sleep } from 'node:timers/promises'
import {
  type ChildStoreSpec,
  type DevProvider,
  devStoreKey,
  loginToStore,
  mergedFailures,
  startDevProvider,
  TokenWorkers,
} from '@keyway/testing'
import type { Cluster, Redis } from 'ioredis'
import { type RedisKeyNames, type RedisTokenStore, redisKeyNames } from '../src/index.js'

/** When a fault strikes, relative to a refresh of the fleet's grant. */
export type Moment =
  /**
   * A worker holds the refresh lock: it is about to ask the provider. The key is seen as soon
   * as the lock script ran, so a fault then may also strike before its reply, or the `WAIT`
   * after it, came back.
   */
  | 'lock-taken'
  /** The provider has answered a refresh: the rotated tokens are on their way to Redis. */
  | 'token-answered'
  /** The stored record has just changed: the save is done. */
  | 'after-save'

/** A fault the fleet must come through, and when to strike. */
export interface Disruption {
  readonly moment: Moment
  /** Finds what to strike (the master of the grant's keys), before the moment comes. */
  prepare?(names: RedisKeyNames): Promise<void>
  /** Strikes (kills a master…) and resolves once the backend is whole again. */
  run(): Promise<void>
}

/** What a fleet run counted. */
export interface FleetOutcome {
  /** Refresh requests the provider answered. */
  readonly refreshes: number
  /** Refresh requests that followed another within half a token's life: one expiry, twice. */
  readonly extraRefreshes: number
  /** Failures the workers reported, by `call:<code>` and `event:<code>`. */
  readonly failures: Readonly<Record<string, number>>
  /** Token grants the provider refused, by `grant_type:error`. */
  readonly grantErrors: Readonly<Record<string, number>>
  /** The moments the faults struck at, in order. */
  readonly struck: readonly Moment[]
  /** True when the fleet made no refresh for 20 s after a fault (the grant lost, say). */
  readonly stalled: boolean
}

/** What {@link runFleet} needs of the backend. */
export interface FleetBackend {
  /** The store in this process: the login saves to it. */
  readonly store: RedisTokenStore
  /** How each worker opens the same backend. */
  readonly child: ChildStoreSpec
  /** The prefix both use. */
  readonly prefix: string
  /** A plain client on the backend, to watch the lock and the record. */
  readonly watch: Redis | Cluster
}

const ACCESS_TOKEN_TTL = 2_000
const WORKERS = 8
/** Far above a failover (a few seconds): a lock kept for unsaved tokens outlives it. */
const LOCK_LEASE = 30_000
/**
 * Below the lease: a fleet that only goes on once a lock left behind has timed out counts as
 * stalled, not as recovered.
 */
const MOMENT_LIMIT_MS = 20_000
const POLL_MS = 3

function refreshesOf(dev: DevProvider): number {
  return dev.counters.grants.refresh_token ?? 0
}

/** Times of every refresh the provider answered, read as they happen. */
class RefreshTimeline {
  readonly times: number[] = []
  #running = true
  readonly #done: Promise<void>

  constructor(dev: DevProvider) {
    this.#done = (async () => {
      while (this.#running) {
        while (this.times.length < refreshesOf(dev)) this.times.push(Date.now())
        await sleep(POLL_MS)
      }
    })()
  }

  /** Refreshes that came within half a token's life of the one before. */
  extra(): number {
    return this.times.filter(
      (time, at) => at > 0 && time - (this.times[at - 1] ?? 0) < ACCESS_TOKEN_TTL / 2,
    ).length
  }

  stop(): Promise<void> {
    this.#running = false
    return this.#done
  }
}

/**
 * Polls `changed` every few ms until it holds (errors in an outage count as no change);
 * false when it did not within 20 s.
 */
async function within(changed: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + MOMENT_LIMIT_MS
  while (!(await changed().catch(() => false))) {
    if (Date.now() > deadline) return false
    await sleep(POLL_MS)
  }
  return true
}

/** {@link within}, failing with `what` when `changed` did not hold in time. */
async function until(changed: () => Promise<boolean>, what: string): Promise<void> {
  if (!(await within(changed))) throw new Error(`gave up waiting: ${what}`)
}

/** Resolves at `moment` of the next refresh. */
async function reach(moment: Moment, dev: DevProvider, backend: FleetBackend): Promise<void> {
  const names = redisKeyNames(devStoreKey(dev), backend.prefix)
  if (moment === 'lock-taken') {
    await until(async () => (await backend.watch.exists(names.lock)) === 1, 'a lock taken')
    return
  }
  if (moment === 'token-answered') {
    const before = refreshesOf(dev)
    await until(async () => refreshesOf(dev) > before, 'a refresh answered')
    return
  }
  let before: string | null | undefined
  await until(async () => {
    before = await backend.watch.get(names.tokens)
    return true
  }, 'the record read')
  await until(async () => (await backend.watch.get(names.tokens)) !== before, 'a save')
}

/**
 * Logs in, starts 8 worker processes calling `getAccessToken()` on the shared grant through
 * 2 s access tokens, strikes each disruption at its moment of a refresh, and waits after each
 * for the fleet to refresh again; then collects what the workers and the provider counted.
 */
export async function runFleet(
  backend: FleetBackend,
  disruptions: readonly Disruption[],
): Promise<FleetOutcome> {
  const dev = await startDevProvider({ accessTokenTtl: ACCESS_TOKEN_TTL })
  try {
    await loginToStore(dev, backend.store)
    const workers = await TokenWorkers.start(WORKERS, {
      dev,
      store: backend.child,
      refreshMargin: 500,
      lockLease: LOCK_LEASE,
    })
    const timeline = new RefreshTimeline(dev)
    try {
      const struck: Moment[] = []
      let stalled = false
      for (const disruption of disruptions) {
        await disruption.prepare?.(redisKeyNames(devStoreKey(dev), backend.prefix))
        await reach(disruption.moment, dev, backend)
        await disruption.run()
        struck.push(disruption.moment)
        const after = refreshesOf(dev)
        // A fleet that lost the grant refreshes no more: stop, and report what it counted.
        stalled = !(await within(async () => refreshesOf(dev) > after))
        if (stalled) break
      }
      const reports = await workers.final()
      await timeline.stop()
      return {
        refreshes: refreshesOf(dev),
        extraRefreshes: timeline.extra(),
        failures: mergedFailures(reports),
        grantErrors: { ...dev.counters.grantErrors },
        struck,
        stalled,
      }
    } finally {
      await timeline.stop()
      await workers.close()
    }
  } finally {
    await dev.close()
  }
}
