import { setTimeout as sleep } from 'node:timers/promises'
import type { TokenSet, TokenStore } from '@keyway/core'
import { afterEach, describe, expect, it } from 'vitest'
import { mergedFailures } from '../cross-process/merged-failures.js'
import type { ChildStoreSpec, SeenToken } from '../cross-process/protocol.js'
import { tokenDigest } from '../cross-process/protocol.js'
import { tokenChain } from '../cross-process/token-chain.js'
import { startLockHolder, TokenWorkers } from '../cross-process/token-workers.js'
import { type DevProvider, startDevProvider } from '../dev-provider/provider.js'
import { devStoreKey, loginToStore } from '../scripted-transport.js'

/** A backend shared by this process and child processes. */
export interface SharedBackend {
  /** The store in the test process: the login saves to it, the checks read it. */
  readonly store: TokenStore
  /** How each child process opens the same backend. */
  readonly child: ChildStoreSpec
  /** Frees what {@link SharedBackend.store} holds (a connection, a folder). */
  dispose?(): Promise<void>
}

/** Options of {@link describeSharedRefresh}. */
export interface SharedRefreshOptions {
  /** Child processes racing for the grant. Default 8. */
  readonly workers?: number
  /** Refreshes (expiries) the race runs for. Default 4. */
  readonly expiries?: number
}

const ACCESS_TOKEN_TTL = 2_000
const REFRESH_MARGIN = 500
const JITTER_SHARE = 0.1
const RACE_LEASE = 5_000
const DEAD_HOLDER_LEASE = 3_000

/** Polls `condition` until it holds; fails with `what` after `limitMs`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs = 60_000) {
  const deadline = Date.now() + limitMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`)
    await sleep(20)
  }
}

function refreshes(dev: DevProvider): number {
  return dev.counters.grants.refresh_token ?? 0
}

async function storedTokens(backend: SharedBackend, dev: DevProvider): Promise<TokenSet> {
  const tokens = await backend.store.load(devStoreKey(dev))
  if (tokens === undefined) throw new Error('the shared store lost the grant')
  return tokens
}

/**
 * Asks every worker for its token at a quiet moment: once the store holds the newest token and
 * every older one is inside the refresh margin (so a worker still holding one goes through the
 * lock and adopts the stored token). A round during which a refresh happened is asked again.
 */
async function settle(workers: TokenWorkers, backend: SharedBackend, dev: DevProvider) {
  for (let round = 1; ; round++) {
    const latest = await storedTokens(backend, dev)
    const sentAt = (latest.expiresAt ?? Date.now()) - ACCESS_TOKEN_TTL
    await sleep(Math.max(0, sentAt + REFRESH_MARGIN * JITTER_SHARE + 20 - Date.now()))
    // Quiet means nothing moved while the workers answered: no refresh counted at the
    // provider, and the same token in the store before and after (a refresh the provider had
    // already counted may still be on its way to the store).
    const before = refreshes(dev)
    const storedBefore = tokenDigest((await storedTokens(backend, dev)).accessToken)
    // The wait was measured from `latest`: when a newer token was saved meanwhile, the older
    // one may still be fresh enough to serve, so wait again from the newer one.
    if (storedBefore !== tokenDigest(latest.accessToken) && round < 10) continue
    const reports = await workers.final()
    const stored = tokenDigest((await storedTokens(backend, dev)).accessToken)
    if ((refreshes(dev) === before && stored === storedBefore) || round === 10) {
      return { reports, stored }
    }
  }
}

/** The links where a token was replaced before it was due: a refresh the expiry did not call for. */
function earlyRefreshes(chain: readonly SeenToken[]): string[] {
  const early: string[] = []
  for (let index = 1; index < chain.length; index++) {
    const previousExpiry = chain[index - 1]!.expiresAt ?? 0
    const sentAt = (chain[index]!.expiresAt ?? 0) - ACCESS_TOKEN_TTL
    const due = previousExpiry - REFRESH_MARGIN * (1 + JITTER_SHARE)
    if (sentAt < due - 5) early.push(`token ${index} replaced ${due - sentAt} ms early`)
  }
  return early
}

/**
 * Registers the cross-process tests for a store whose backend several processes share: child
 * `node` processes (running the build) on one grant at the dev provider with refresh-token
 * rotation, where reusing a rotated refresh token revokes the grant.
 *
 * - A race: `workers` processes call `getAccessToken()` in a loop while the access token
 *   (2 s) expires `expiries` times: no `login_required` and no failure anywhere, exactly one
 *   refresh per expiry (counted at the provider, none early), and every process ends with
 *   the token the store holds.
 * - A holder killed with SIGKILL while it holds the lock: the lock outlives it, and after
 *   the lease the others refresh the expired grant exactly once, and agree on the result.
 *
 * @param open - a fresh backend for each test.
 */
export function describeSharedRefresh(
  name: string,
  open: () => Promise<SharedBackend>,
  options: SharedRefreshOptions = {},
): void {
  const count = options.workers ?? 8
  const expiries = options.expiries ?? 4
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  const start = async (dev: Parameters<typeof startDevProvider>[0]) => {
    const provider = await startDevProvider(dev)
    cleanups.push(() => provider.close())
    const backend = await open()
    cleanups.push(async () => backend.dispose?.())
    return { dev: provider, backend, login: await loginToStore(provider, backend.store) }
  }

  describe(`${name} shared by child processes`, () => {
    it(`refreshes once per expiry with ${count} processes racing, and all end on the newest token`, async () => {
      const { dev, backend, login } = await start({ accessTokenTtl: ACCESS_TOKEN_TTL })
      const startedAt = Date.now()
      const workers = await TokenWorkers.start(count, {
        dev,
        store: backend.child,
        refreshMargin: REFRESH_MARGIN,
        lockLease: RACE_LEASE,
      })
      cleanups.push(() => workers.close())
      await until(() => refreshes(dev) >= expiries, `${expiries} refreshes`)
      const { reports, stored } = await settle(workers, backend, dev)
      const chain = tokenChain(login, reports)
      const made = refreshes(dev)
      process.stdout.write(
        `${name}: ${count} processes, ${chain.length - 1} expiries, ${made} refreshes ` +
          `(ratio ${(made / (chain.length - 1)).toFixed(2)}), ` +
          `${reports.reduce((sum, report) => sum + report.calls, 0)} calls in ${Date.now() - startedAt} ms\n`,
      )
      expect(mergedFailures(reports)).toEqual({})
      expect(dev.counters.grantErrors).toEqual({})
      expect(made).toBeGreaterThanOrEqual(expiries)
      expect(chain).toHaveLength(made + 1)
      expect(earlyRefreshes(chain)).toEqual([])
      expect(reports.map((report) => report.final)).toEqual(reports.map(() => stored))
      expect(chain.at(-1)?.digest).toBe(stored)
    }, 120_000)

    it('outlives a lock holder killed with SIGKILL: after the lease one process refreshes', async () => {
      const { dev, backend, login } = await start({})
      const key = devStoreKey(dev)
      await backend.store.save(key, { ...login, expiresAt: Date.now() - 1_000 })
      const holder = await startLockHolder({
        store: backend.child,
        key,
        leaseMs: DEAD_HOLDER_LEASE,
      })
      await holder.kill()
      const probe = backend.store.lock?.(key, {
        leaseMs: DEAD_HOLDER_LEASE,
        signal: AbortSignal.timeout(200),
      })
      await expect(probe).rejects.toMatchObject({ code: 'timeout' })
      const workers = await TokenWorkers.start(Math.min(count, 4), {
        dev,
        store: backend.child,
        refreshMargin: 60_000,
        lockLease: DEAD_HOLDER_LEASE,
      })
      cleanups.push(() => workers.close())
      await until(() => refreshes(dev) >= 1, 'the refresh after the dead holder’s lease')
      const reports = await workers.final()
      const stored = await storedTokens(backend, dev)
      expect(mergedFailures(reports)).toEqual({})
      expect(refreshes(dev)).toBe(1)
      expect(dev.counters.grantErrors).toEqual({})
      expect(stored.accessToken).not.toBe(login.accessToken)
      expect(reports.map((report) => report.final)).toEqual(
        reports.map(() => tokenDigest(stored.accessToken)),
      )
    }, 60_000)
  })
}
