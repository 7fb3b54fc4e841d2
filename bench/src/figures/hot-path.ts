import type { RemoteProvider } from '../remote-provider.js'
import { devKeyway } from '../session.js'

/** What {@link measureHotPath} found. */
export interface HotPathFigures {
  /** `getAccessToken()` calls per second with a valid token in memory. */
  readonly opsPerSecond: number
  /** Its time per call ÷ that of an awaited `Map.get` + `Date.now()`. */
  readonly ratio: number
}

async function perCall(calls: number, run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  for (let i = 0; i < calls; i++) await run()
  return Number(process.hrtime.bigint() - start) / calls
}

/**
 * The cached path of `getAccessToken()`, against the least an async token cache can do: an
 * awaited function that reads a map and the clock. Best of several rounds each, interleaved.
 */
export async function measureHotPath(dev: RemoteProvider, calls: number): Promise<HotPathFigures> {
  const kw = devKeyway(dev)
  await kw.login()
  const cache = new Map([['token', 'value']])
  const baseline = async () => {
    const token = cache.get('token')
    return Date.now() > 0 ? token : undefined
  }
  let best = Number.POSITIVE_INFINITY
  let bestBaseline = Number.POSITIVE_INFINITY
  for (let round = 0; round < 5; round++) {
    bestBaseline = Math.min(bestBaseline, await perCall(calls, baseline))
    best = Math.min(best, await perCall(calls, () => kw.getAccessToken()))
  }
  kw.stop()
  return { opsPerSecond: Math.round(1e9 / best), ratio: best / bestBaseline }
}
