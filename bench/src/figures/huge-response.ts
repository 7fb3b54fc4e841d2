import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { cleanEnvironment } from '../node-child.js'
import { median } from '../stats.js'

/** One run of `huge-response-process`: what its JSON line reports. */
interface HugeResponseRun {
  readonly rssGrowthMb: number
  readonly outcome: string
  readonly endpointWrote: number
}

function runOnce(size: number): HugeResponseRun {
  const script = fileURLToPath(new URL('../huge-response-process.js', import.meta.url))
  // A clean environment, as for every whole-process figure: no certificate bundle to load.
  const result = spawnSync(process.execPath, ['--expose-gc', script, String(size)], {
    env: cleanEnvironment(),
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`huge-response-process exited ${result.status}`)
  return JSON.parse(result.stdout) as HugeResponseRun
}

/**
 * The RSS growth (MB) of a process whose refresh meets a token response of `size` bytes, the
 * median of `runs` processes of its own (so nothing else the bench did weighs on it), with
 * what the last run made of the answer.
 */
export function measureHugeResponse(size: number, runs: number) {
  const all = Array.from({ length: runs }, () => runOnce(size))
  return {
    rssGrowthMb: median(all.map((run) => run.rssGrowthMb)),
    outcome: all.at(-1)!.outcome,
  }
}
