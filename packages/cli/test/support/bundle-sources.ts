import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The built package's folder, which the bundle's file names are relative to. */
const PACKAGE = new URL('../../', import.meta.url)

/** The bundle's map of its files to the sources each holds, written by build-bin.mjs. */
const META = new URL('dist/bin.meta.json', PACKAGE)

interface BundleMeta {
  readonly outputs: Record<string, { readonly inputs: Record<string, unknown> }>
}

/**
 * The sources behind the module URLs a `keyway` process loaded: for a file of the bundle,
 * every source it holds, as the bundler names them (`src/main.ts`, `../core/src/errors.ts`,
 * `../../node_modules/.pnpm/…/commander/…`); any other module (a library left to Node to
 * load) as its own URL.
 */
export function bundledSources(urls: readonly string[]): string[] {
  const { outputs } = JSON.parse(readFileSync(META, 'utf8')) as BundleMeta
  const root = fileURLToPath(PACKAGE)
  return urls.flatMap((url) => {
    if (!url.startsWith('file:')) return [url]
    const path = fileURLToPath(url)
    const output = path.startsWith(root) ? outputs[path.slice(root.length)] : undefined
    return output === undefined ? [url] : Object.keys(output.inputs)
  })
}
