import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The workspace's `packages/` folder. */
const packagesDir = fileURLToPath(new URL('../../../', import.meta.url))

/** One public package, packed as the registry would receive it. */
export interface PackedPackage {
  /** The package's name, e.g. `@keyway/core`. */
  readonly name: string
  /** The tarball's absolute path. */
  readonly tarball: string
  /** The module specifiers its `exports` map offers, e.g. `@keyway/core/codecs`. */
  readonly entries: readonly string[]
  /** The file names in the tarball, relative to its `package/` folder. */
  readonly files: readonly string[]
}

interface Manifest {
  readonly name: string
  readonly private?: boolean
  readonly exports: Record<string, unknown>
}

/**
 * Packs every public package of the workspace with `pnpm pack` into `destination`, one
 * package at a time (two at once on two cores), as a release would.
 */
export async function packPublicPackages(destination: string): Promise<PackedPackage[]> {
  const folders = await readdir(packagesDir)
  const manifests = await Promise.all(
    folders.map(async (folder) => {
      const text = await readFile(join(packagesDir, folder, 'package.json'), 'utf8')
      return { folder, manifest: JSON.parse(text) as Manifest }
    }),
  )
  const packed: PackedPackage[] = []
  for (const { folder, manifest } of manifests.filter(({ manifest }) => !manifest.private)) {
    const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', destination], {
      cwd: join(packagesDir, folder),
      timeout: 30_000,
    })
    const report = JSON.parse(stdout) as { filename: string; files: { path: string }[] }
    packed.push({
      name: manifest.name,
      tarball: report.filename,
      entries: Object.keys(manifest.exports).map((key) => manifest.name + key.slice(1)),
      files: report.files.map((file) => file.path),
    })
  }
  return packed
}
