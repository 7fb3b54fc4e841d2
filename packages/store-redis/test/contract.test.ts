import { describeTokenStore } from '@keyway/testing/store-contract'
import { describe } from 'vitest'
import { type RedisTokenStore, redisKeyNames, redisStore } from '../src/index.js'
import { redisProgram, useRedisServer } from './use-redis-server.js'

const PREFIX = 'contract:'

describe.skipIf(redisProgram === undefined)('against a real redis-server', () => {
  const redis = useRedisServer()
  describeTokenStore('redis store', () => redisStore({ url: redis.server.url, prefix: PREFIX }), {
    async readRaw(key) {
      const text = await redis.direct.get(redisKeyNames(key, PREFIX).tokens)
      return text === null ? undefined : JSON.parse(text)
    },
    async writeCorrupt(key, text) {
      await redis.direct.set(redisKeyNames(key, PREFIX).tokens, text)
    },
    async countSetAside(key) {
      const pattern = `${redisKeyNames(key, PREFIX).asidePrefix}*`.replace(/[{}]/g, '\\$&')
      return (await redis.direct.keys(pattern)).length
    },
    dispose: (store) => (store as RedisTokenStore).close(),
  })
})
