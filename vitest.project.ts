import { defineProject, type UserWorkspaceConfig } from 'vitest/config'

/**
 * The settings every package's test project shares: workspace packages resolve to their
 * TypeScript sources (the `keyway:source` export condition), and the limits suit tests that
 * start real servers, browsers and child processes on a 2-core CI machine. The root
 * config's `test` limits do not reach projects, so they are set here.
 */
export function keywayProject(name: string, test: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: ['keyway:source'] },
    ssr: { resolve: { conditions: ['keyway:source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...test,
    },
  })
}
