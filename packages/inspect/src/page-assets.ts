import { readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'

/** One file the page is made of, as served. */
export interface PageAsset {
  readonly type: string
  /** The bytes, read on first request and kept. */
  body(): Promise<Buffer>
  /** The bytes gzipped, made on first request and kept. */
  gzipped(): Promise<Buffer>
}

/**
 * This package's folder, found by its name rather than from this file's place: the `keyway`
 * command bundles this module into a file of its own, elsewhere.
 */
const packageRoot = dirname(dirname(createRequire(import.meta.url).resolve('@keyway/inspect')))
const javascript = 'text/javascript; charset=utf-8'

function asset(file: string, type: string): PageAsset {
  let body: Promise<Buffer> | undefined
  let gzipped: Promise<Buffer> | undefined
  const read = () => {
    body ??= readFile(file)
    return body
  }
  return {
    type,
    body: read,
    gzipped: () => {
      gzipped ??= read().then((bytes) => promisify(gzip)(bytes))
      return gzipped
    },
  }
}

/** The built scripts of one folder of `dist/` (the page's own code), by their served name. */
function builtScripts(folder: string): [string, PageAsset][] {
  const dir = join(packageRoot, 'dist', folder)
  let names: string[]
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.js'))
  } catch {
    return []
  }
  return names.map((name) => [`${folder}/${name}`, asset(join(dir, name), javascript)])
}

/**
 * Every file the page is made of, by its path below the page's address (`''` is the page):
 * the HTML, style and icon checked in under `assets/`, the page's scripts built from
 * `src/view` and `src/shared` into `dist/` by `pnpm build` (also when this module runs from
 * its TypeScript source), and ELK, the layout library, from its own package. Nothing else
 * is served: there is no path from a request to any other file.
 */
export function pageAssets(): ReadonlyMap<string, PageAsset> {
  const require = createRequire(import.meta.url)
  const own = (name: string, type: string) => asset(join(packageRoot, 'assets', name), type)
  return new Map([
    ['', own('index.html', 'text/html; charset=utf-8')],
    ['style.css', own('style.css', 'text/css; charset=utf-8')],
    ['icon.svg', own('icon.svg', 'image/svg+xml')],
    ['elk.js', asset(require.resolve('elkjs/lib/elk.bundled.js'), javascript)],
    ...builtScripts('view'),
    ...builtScripts('shared'),
  ])
}

/** True when the page's scripts have been built (`pnpm build`). */
export function pageIsBuilt(assets: ReadonlyMap<string, PageAsset>): boolean {
  return assets.has('view/main.js')
}
