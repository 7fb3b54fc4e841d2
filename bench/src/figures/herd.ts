import { countingFetch, type RemoteProvider } from '../remote-provider.js'
import { devKeyway } from '../session.js'
import { percentile } from '../stats.js'

/** What {@link measureHerd} found. */
export interface HerdFigures {
  /** Token endpoint requests the herd caused. */
  readonly requests: number
  /** The herd's p99 latency in ms. */
  readonly p99: number
}

/**
 * Concurrent `getAccessToken()` calls on a Keyway whose access token has just expired: every
 * caller must wait on one shared refresh. The clock is moved past the token's expiry, so
 * the instance is warm (metadata loaded) as in a long-running program.
 */
export async function measureHerd(dev: RemoteProvider, callers: number): Promise<HerdFigures> {
  let skew = 0
  const counter = countingFetch()
  const kw = devKeyway(dev, { clock: () => Date.now() + skew, fetch: counter.fetch })
  const tokens = await kw.login()
  skew = (tokens.expiresAt ?? Date.now()) - Date.now() + 1_000
  const before = counter.tokenRequests()
  const latencies = await Promise.all(
    Array.from({ length: callers }, async () => {
      const start = performance.now()
      await kw.getAccessToken()
      return performance.now() - start
    }),
  )
  const requests = counter.tokenRequests() - before
  kw.stop()
  return { requests, p99: percentile(latencies, 99) }
}
