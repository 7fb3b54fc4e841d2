import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * Vitest's global setup for this project: bundles the `keyway` command from the sources before
 * any test runs it, so the tests always meet the bin as it ships (`dist/bin.cjs` and what it loads)
 * and as the sources are now, without a `pnpm build` first.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['build-bin.mjs'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: 'inherit',
  })
}
