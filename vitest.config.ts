import { defineConfig } from 'vitest/config'

/**
 * One project per package, each resolving workspace packages to their TypeScript sources
 * (the `keyway:source` export condition), so tests need no build. Child processes started by
 * tests run the built `dist/` instead: `pnpm test` builds first.
 */
export default defineConfig({
  resolve: { conditions: ['keyway:source'] },
  ssr: { resolve: { conditions: ['keyway:source'] } },
  test: {
    projects: ['packages/*', 'examples/*'],
    reporters: process.env.KEYWAY_JSON_REPORT
      ? ['default', ['json', { outputFile: process.env.KEYWAY_JSON_REPORT }]]
      : ['default'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
