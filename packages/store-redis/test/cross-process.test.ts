import { randomUUID } from 'node:crypto'
import { describeSharedRefresh } from '@keyway/testing/store-contract'
import { describe } from 'vitest'
import { redisStore } from '../src/index.js'
import { redisProgram, useRedisServer } from './use-redis-server.js'

describe.skipIf(redisProgram === undefined)('against a real redis-server', () => {
  const redis = useRedisServer()
  describeSharedRefresh('redis store', async () => {
    const options = { url: redis.server.url, prefix: `shared-${randomUUID()}:` }
    const store = redisStore(options)
    return {
      store,
      child: {
        module: new URL('../dist/index.js', import.meta.url).href,
        factory: 'redisStore',
        options,
      },
      dispose: () => store.close(),
    }
  })
})
