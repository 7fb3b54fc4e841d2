import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileStore } from '@keyway/store-file'
import { wallTimeMs } from '../node-child.js'
import type { RemoteProvider } from '../remote-provider.js'
import { devKeyway } from '../session.js'
import { interleavedMedians, type SideMedians } from '../stats.js'

/**
 * The wall time of a process that imports Keyway, reads a valid token from a file store and
 * prints it, against `node -e 0`: what a CLI pays on every run once logged in. Both run in a
 * clean environment (no `NODE_EXTRA_CA_CERTS`, which would add the same ~35 ms to each side
 * and flatten the ratio), alternated run by run; resolves with each side's median, in ms.
 */
export async function measureColdToken(dev: RemoteProvider, runs: number): Promise<SideMedians> {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-cold-'))
  try {
    const path = join(dir, 'tokens.json')
    const kw = devKeyway(dev, { store: fileStore({ path }) })
    await kw.login()
    kw.stop()
    const script = fileURLToPath(new URL('../cold-token-process.js', import.meta.url))
    const program = [script, path, dev.issuer, dev.clients.native.clientId]
    return interleavedMedians(
      runs,
      () => wallTimeMs(program),
      () => wallTimeMs(['-e', '0']),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
