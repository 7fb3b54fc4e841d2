import { execFile } from 'node:child_process'
import { cp, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { PackedPackage } from './packed-packages.js'

const run = promisify(execFile)

/** The consumer's own files: scripts that load every entry, a login, a typed program. */
const fixtures = fileURLToPath(new URL('../fixtures/consumer/', import.meta.url))

/** The same version the workspace builds against, so the consumer's `node:` types match. */
const NODE_TYPES = '20.19.43'

/** npm may take a minute on a cold cache; past two, something is wrong. */
const INSTALL_TIMEOUT_MS = 120_000

/**
 * Makes a fresh npm project in `dir` (outside the workspace) and installs every tarball in it
 * with npm: the packages' own dependencies come from the registry, and `overrides` point
 * every `@keyway/*` dependency at its tarball, so that none is fetched from the registry.
 */
export async function installConsumerProject(
  npm: string,
  dir: string,
  packed: readonly PackedPackage[],
): Promise<void> {
  const local = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`]))
  const manifest = {
    name: 'keyway-consumer',
    version: '0.0.0',
    private: true,
    dependencies: { ...local, '@types/node': NODE_TYPES },
    overrides: local,
  }
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  await cp(fixtures, dir, { recursive: true })
  await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: dir,
    timeout: INSTALL_TIMEOUT_MS,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  })
}
