import { measureColdToken } from './figures/cold-token.js'
import { measureExchange } from './figures/exchange.js'
import { measureHerd } from './figures/herd.js'
import { measureHotPath } from './figures/hot-path.js'
import { measureHugeResponse } from './figures/huge-response.js'
import { measureLoopback } from './figures/loopback.js'
import { measureRefresh } from './figures/refresh.js'
import { measureTokenRss } from './figures/token-rss.js'
import { measureFileRefreshes, measureRedisRefreshes } from './figures/xproc-backends.js'
import { findGnuTime } from './node-child.js'
import { type RemoteProvider, startRemoteProvider } from './remote-provider.js'
import { report, reportSides } from './report.js'
import { round } from './stats.js'

/** `token_rss_ratio` and `token_rss_mb`, or why they were skipped. */
async function reportTokenRss(dev: RemoteProvider): Promise<void> {
  const time = findGnuTime()
  if (time === undefined) {
    process.stderr.write(
      '  token_rss_ratio        skipped: /usr/bin/time is not installed (Debian package time)\n',
    )
    return
  }
  const rss = await measureTokenRss(dev, time, 15)
  const sides = `keyway token ${rss.keyway.toFixed(1)} MiB · node -e 0 ${rss.bare.toFixed(1)} MiB`
  report('token_rss_ratio', round(rss.keyway / rss.bare), '<= 1.5', sides)
  report('token_rss_mb', round(rss.keyway, 1), 'none (read with the ratio)')
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
    report('cold_token_ratio', round(await measureColdToken(dev, 15)), '<= 2.0')
    await reportTokenRss(dev)
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
  } finally {
    await dev.close()
  }
}

await main()
