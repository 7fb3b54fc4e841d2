import { setTimeout as sleep } from 'node:timers/promises'
import type { TokenStore } from '@keyway/core'
import {
  type ChildStoreSpec,
  loginToStore,
  startDevProvider,
  TokenWorkers,
  tokenChain,
} from '@keyway/testing'

/** A store that this process and the worker processes open on the same backend. */
export interface SharedStore {
  readonly store: TokenStore
  readonly child: ChildStoreSpec
}

const ACCESS_TOKEN_TTL = 2_000
const WORKERS = 8
const EXPIRIES = 4

/**
 * Refresh requests ÷ expiries when 8 processes share one grant through `shared`, each calling
 * `getAccessToken()` in a loop while the 2 s access token expires 4 times; the provider
 * rotates refresh tokens, so a refresh made twice would also cost the grant. Target 1.0.
 */
export async function measureCrossProcessRefreshes(shared: SharedStore): Promise<number> {
  const dev = await startDevProvider({ accessTokenTtl: ACCESS_TOKEN_TTL })
  try {
    const login = await loginToStore(dev, shared.store)
    const workers = await TokenWorkers.start(WORKERS, {
      dev,
      store: shared.child,
      refreshMargin: 500,
      lockLease: 5_000,
    })
    try {
      const refreshes = () => dev.counters.grants.refresh_token ?? 0
      const deadline = Date.now() + 60_000
      while (refreshes() < EXPIRIES && Date.now() < deadline) await sleep(50)
      const reports = await workers.final()
      const expiries = tokenChain(login, reports).length - 1
      return refreshes() / Math.max(1, expiries)
    } finally {
      await workers.close()
    }
  } finally {
    await dev.close()
  }
}
