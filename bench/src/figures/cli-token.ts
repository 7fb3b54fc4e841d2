import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KEYWAY_BIN, keywayLogin } from '../cli-login.js'
import { cleanEnvironment, peakRssKiB, wallTimeMs } from '../node-child.js'
import type { RemoteProvider } from '../remote-provider.js'
import { interleavedMedians, type SideMedians } from '../stats.js'

/** What `keyway token` costs as a whole process, each side's medians. */
export interface CliTokenMedians {
  /** Wall time, in ms, of `keyway token` and of `node -e 0`. */
  readonly wallMs: SideMedians
  /** Peak RSS, in MiB, of each; undefined without GNU time. */
  readonly rssMiB: SideMedians | undefined
}

/**
 * `keyway token` serving a valid token from a file store (after a real `keyway login`),
 * against `node -e 0`, both in a clean environment, alternated run by run: first their wall
 * time, then (with GNU `time`, which measures each child) their peak RSS.
 */
export async function measureCliToken(
  dev: RemoteProvider,
  runs: number,
  time: string | undefined,
): Promise<CliTokenMedians> {
  const configDir = mkdtempSync(join(tmpdir(), 'keyway-cli-token-'))
  try {
    await keywayLogin(dev, configDir)
    const env = cleanEnvironment({ KEYWAY_CONFIG_DIR: configDir })
    const token = [fileURLToPath(KEYWAY_BIN), 'token']
    const wallMs = interleavedMedians(
      runs,
      () => wallTimeMs(token, env),
      () => wallTimeMs(['-e', '0']),
    )
    const mib = (kib: number) => kib / 1024
    const rssMiB =
      time === undefined
        ? undefined
        : interleavedMedians(
            runs,
            () => mib(peakRssKiB(time, token, env)),
            () => mib(peakRssKiB(time, ['-e', '0'])),
          )
    return { wallMs, rssMiB }
  } finally {
    rmSync(configDir, { recursive: true, force: true })
  }
}
