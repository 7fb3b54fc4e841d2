import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['keyway:source'] },
  ssr: { resolve: { conditions: ['keyway:source'] } },
  // Real browsers, a real provider and child processes: the root's limits, not vitest's 5 s.
  test: {
    name: 'loopback',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
