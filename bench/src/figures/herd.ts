import { countingFetch, type RemoteProvider } from '../remote-provider.js'
import { devKeyway } from '../session.js'
import { median, nextTurn, percentile } from '../stats.js'

/** Herds run first and not counted, so that the path runs compiled code. */
const WARM_UP = 3

/** What {@link measureHerd} found. */
export interface HerdFigures {
  /** Token endpoint requests of the herd that caused the most. */
  readonly requests: number
  /** The herds' median p99 latency, in ms. */
  readonly p99: number
}

/**
 * Concurrent `getAccessToken()` calls on a Keyway whose access token has just expired: every
 * caller must wait on one shared refresh. The clock is moved past the token's expiry, so
 * the instance is warm (metadata loaded, machine settled) as in a long-running program. One
 * herd's p99 swings with the provider's own pauses, so `herds` herds run one after the
 * other, each on a freshly expired token, after a few that warm the path up and are not
 * counted.
 */
export async function measureHerd(
  dev: RemoteProvider,
  callers: number,
  herds = 15,
): Promise<HerdFigures> {
  let skew = 0
  const counter = countingFetch()
  const kw = devKeyway(dev, { clock: () => Date.now() + skew, fetch: counter.fetch })
  let tokens = await kw.login()
  const requests: number[] = []
  const p99s: number[] = []
  for (let herd = -WARM_UP; herd < herds; herd++) {
    await nextTurn()
    skew = (tokens.expiresAt ?? Date.now()) - Date.now() + 1_000
    const before = counter.tokenRequests()
    const latencies = await Promise.all(
      Array.from({ length: callers }, async () => {
        const start = performance.now()
        await kw.getAccessToken()
        return performance.now() - start
      }),
    )
    requests.push(counter.tokenRequests() - before)
    if (herd >= 0) p99s.push(percentile(latencies, 99))
    tokens = await kw.getTokens()
  }
  await kw.stop()
  return { requests: Math.max(...requests), p99: median(p99s) }
}
