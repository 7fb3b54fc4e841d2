import { measureCliToken } from './figures/cli-token.js'
import { measureColdToken } from './figures/cold-token.js'
import { measureExchange } from './figures/exchange.js'
import { measureHerd } from './figures/herd.js'
import { measureHotPath } from './figures/hot-path.js'
import { measureHugeResponse } from './figures/huge-response.js'
import { measureLoopback } from './figures/loopback.js'
import { measureRefresh } from './figures/refresh.js'
import { measureFileRefreshes, measureRedisRefreshes } from './figures/xproc-backends.js'
import { measureClusterRefreshes, measureSentinelRefreshes } from './figures/xproc-topologies.js'
import { findGnuTime } from './node-child.js'
import { type RemoteProvider, startRemoteProvider } from './remote-provider.js'
import { report, reportSides } from './report.js'
import { round } from './stats.js'

/**
 * `cli_token_ratio` (wall time), then `cli_token_rss_ratio` and `cli_token_rss_mb` (peak RSS,
 * or why they were skipped): `keyway token` against `node -e 0`, both sides' medians beside.
 */
async function reportCliToken(dev: RemoteProvider): Promise<void> {
  const time = findGnuTime()
  const { wallMs, rssMiB } = await measureCliToken(dev, 15, time)
  const wall = `keyway token ${wallMs.keyway.toFixed(1)} ms · node -e 0 ${wallMs.bare.toFixed(1)} ms`
  report('cli_token_ratio', round(wallMs.keyway / wallMs.bare), '<= 1.5', wall)
  if (rssMiB === undefined) {
    process.stderr.write(
      '  cli_token_rss_ratio    skipped: /usr/bin/time is not installed (Debian package time)\n',
    )
    return
  }
  const rss = `keyway token ${rssMiB.keyway.toFixed(1)} MiB · node -e 0 ${rssMiB.bare.toFixed(1)} MiB`
  report('cli_token_rss_ratio', round(rssMiB.keyway / rssMiB.bare), '<= 1.25', rss)
  report('cli_token_rss_mb', round(rssMiB.keyway, 1), 'none (read with the ratio)')
}

/**
 * Runs every figure against a dev provider on loopback and prints one JSON line per figure
 * on stdout (`{"name": …, "value": …}`); targets go to stderr beside each value.
 */
async function main(): Promise<void> {
  const dev = await startRemoteProvider()
  try {
    process.stderr.write('Keyway figures (each against a baseline measured in this run)\n')
    const refresh = await measureRefresh(dev, 200)
    reportSides('refresh', refresh, { ratio: '<= 1.3', overheadMs: '<= 0.35' })
    reportSides('exchange', await measureExchange(dev, 100), {
      ratio: '<= 1.3',
      overheadMs: '<= 0.5',
    })
    const hot = await measureHotPath(dev, 1_000_000)
    report('hot_path_ops', hot.opsPerSecond, '>= 1000000')
    report('hot_path_ratio', round(hot.ratio), '<= 1.3')
    const herd = await measureHerd(dev, 1000)
    report('herd_requests', herd.requests, '== 1')
    report('herd_p99_ratio', round(herd.p99 / refresh.keyway), '<= 1.5')
    const cold = await measureColdToken(dev, 15)
    const coldSides = `import + token ${cold.keyway.toFixed(1)} ms · node -e 0 ${cold.bare.toFixed(1)} ms`
    report('cold_token_ratio', round(cold.keyway / cold.bare), '<= 1.5', coldSides)
    await reportCliToken(dev)
    const huge = measureHugeResponse(50_000_000, 5)
    report('huge_response_rss_mb', huge.rssGrowthMb, '<= 8', huge.outcome.split(':')[0])
    const receiver = await measureLoopback(9, 2000)
    report(
      'loopback_rps_ratio',
      round(receiver.ratio),
      '>= 0.4',
      `under load ${Math.round(receiver.underLoad)}/s · quiet ${Math.round(receiver.quiet)}/s · garbage ${Math.round(receiver.garbage)}/s`,
    )
    report('xproc_refreshes_file', round(await measureFileRefreshes()), '== 1.0')
    const redis = await measureRedisRefreshes()
    if (redis === undefined)
      process.stderr.write('  xproc_refreshes_redis  skipped: redis-server is not installed\n')
    else report('xproc_refreshes_redis', round(redis), '== 1.0')
    for (const [name, measure] of [
      ['xproc_refreshes_cluster', measureClusterRefreshes],
      ['xproc_refreshes_sentinel', measureSentinelRefreshes],
    ] as const) {
      const value = await measure()
      if (value === undefined)
        process.stderr.write(`  ${name}  skipped: redis-server or redis-cli is not installed\n`)
      else report(name, round(value), '== 1.0')
    }
  } finally {
    await dev.close()
  }
}

await main()
