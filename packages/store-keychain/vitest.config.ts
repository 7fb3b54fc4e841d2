import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['keyway:source'] },
  ssr: { resolve: { conditions: ['keyway:source'] } },
  test: { name: 'store-keychain', include: ['test/**/*.test.ts'] },
})
