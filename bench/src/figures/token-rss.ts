import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KEYWAY_BIN, keywayLogin } from '../cli-login.js'
import { cleanEnvironment, peakRssKiB } from '../node-child.js'
import type { RemoteProvider } from '../remote-provider.js'
import { interleavedMedians } from '../stats.js'

/** The medians of the two sides, in MiB. */
export interface RssMedians {
  readonly keyway: number
  readonly bare: number
}

/**
 * The peak RSS of `keyway token` serving a valid token from a file store, against
 * `node -e 0`, both in a clean environment, interleaved run by run; medians in MiB.
 *
 * @param time - GNU time, which measures each child.
 */
export async function measureTokenRss(
  dev: RemoteProvider,
  time: string,
  runs: number,
): Promise<RssMedians> {
  const configDir = mkdtempSync(join(tmpdir(), 'keyway-rss-'))
  try {
    await keywayLogin(dev, configDir)
    const env = cleanEnvironment({ KEYWAY_CONFIG_DIR: configDir })
    const mib = (kib: number) => kib / 1024
    return interleavedMedians(
      runs,
      () => mib(peakRssKiB(time, [fileURLToPath(KEYWAY_BIN), 'token'], env)),
      () => mib(peakRssKiB(time, ['-e', '0'])),
    )
  } finally {
    rmSync(configDir, { recursive: true, force: true })
  }
}
