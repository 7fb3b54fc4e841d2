import { setTimeout as sleep } from 'node:timers/promises'
import { KeywayErrorCodes, type StoreLock, type TokenStore } from '@keyway/core'
import { expect, it } from 'vitest'
import type { OpenStores } from './contract.js'
import { counterTokens, countOf, fullTokens, uniqueKey } from './fixtures.js'

const LONG_LEASE = 30_000

function lockOf(store: TokenStore): NonNullable<TokenStore['lock']> {
  if (store.lock === undefined) throw new Error(`the ${store.name} store has no lock`)
  return store.lock.bind(store)
}

/** The cross-handle lock: exclusion, waiting that can be aborted, and a lease that runs out. */
export function lockCases(stores: OpenStores): void {
  const leaseMs = stores.contract.leaseMs ?? 500

  it('lets one holder at a time read and write: no update is lost', async () => {
    const handles = [await stores.open(), await stores.open()]
    const key = uniqueKey()
    await handles[0]!.save(key, counterTokens(0))
    const workers = 6
    await Promise.all(
      Array.from({ length: workers }, async (_, index) => {
        const store = handles[index % 2]!
        const lock = await lockOf(store)(key, { leaseMs: LONG_LEASE })
        try {
          const count = countOf(await store.load(key))
          await sleep(10)
          await store.save(key, counterTokens(count + 1), { lock })
        } finally {
          await lock.release()
        }
      }),
    )
    expect(countOf(await handles[1]!.load(key))).toBe(workers)
  })

  it('stops waiting with `aborted` when the signal aborts, and leaves the lock usable', async () => {
    const [a, b] = [await stores.open(), await stores.open()]
    const key = uniqueKey()
    const held = await lockOf(a)(key, { leaseMs: LONG_LEASE })
    const controller = new AbortController()
    const waiting = lockOf(b)(key, { leaseMs: LONG_LEASE, signal: controller.signal })
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ code: KeywayErrorCodes.aborted })
    await held.release()
    const next = await lockOf(b)(key, { leaseMs: LONG_LEASE })
    await next.release()
  })

  it('hands the lock on when a lease runs out, and refuses the late holder’s save', async () => {
    const [a, b] = [await stores.open(), await stores.open()]
    const key = uniqueKey()
    const late: StoreLock = await lockOf(a)(key, { leaseMs })
    const next = await lockOf(b)(key, { leaseMs: LONG_LEASE })
    const newer = fullTokens('newer')
    await b.save(key, newer, { lock: next })
    await expect(a.save(key, fullTokens('late'), { lock: late })).rejects.toMatchObject({
      code: KeywayErrorCodes.storeError,
    })
    expect(await a.load(key)).toStrictEqual(newer)
    await late.release()
    await late.release()
    // The late holder's release must not have freed the next holder's lock.
    const probe = lockOf(a)(key, { leaseMs: LONG_LEASE, signal: AbortSignal.timeout(300) })
    await expect(probe).rejects.toMatchObject({ code: KeywayErrorCodes.timeout })
    await next.release()
    await next.release()
  })
}
