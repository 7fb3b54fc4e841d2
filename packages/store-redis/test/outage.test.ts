import { randomUUID } from 'node:crypto'
import { createKeyway, KeywayErrorCodes } from '@keyway/core'
import { devStoreKey, loginToStore, startDevProvider } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { codeOf, reconnected } from './outage-support.js'
import { redisProgram, useRedisServer } from './use-redis-server.js'

describe.skipIf(redisProgram === undefined)('while Redis is down', () => {
  const redis = useRedisServer({ persist: true })

  it('serves the token in memory, fails refreshes with store_unavailable, and recovers', async () => {
    const dev = await startDevProvider()
    const options = {
      url: redis.server.url,
      prefix: `outage-${randomUUID()}:`,
      unavailableAfter: 300,
    }
    const store = redisStore(options)
    try {
      const login = await loginToStore(dev, store)
      const kw = createKeyway({ issuer: dev.issuer, clientId: dev.clients.native.clientId, store })
      try {
        expect(await kw.getAccessToken()).toBe(login.accessToken)
        await redis.server.stop()
        expect(await kw.getAccessToken()).toBe(login.accessToken)
        expect(await codeOf(kw.getTokens({ forceRefresh: true }))).toBe(
          KeywayErrorCodes.storeUnavailable,
        )
        expect(await kw.getAccessToken()).toBe(login.accessToken)
        expect(dev.counters.grants.refresh_token ?? 0).toBe(0)
        expect(await codeOf(store.load(devStoreKey(dev)))).toBe(KeywayErrorCodes.storeUnavailable)

        await redis.server.restart()
        await reconnected(() => store.load(devStoreKey(dev)))
        const renewed = await kw.getTokens({ forceRefresh: true })
        expect(renewed.accessToken).not.toBe(login.accessToken)
        expect(await store.load(devStoreKey(dev))).toStrictEqual(renewed)
        expect(dev.counters.grants.refresh_token).toBe(1)
      } finally {
        kw.stop()
      }
    } finally {
      await store.close()
      await dev.close()
    }
  })

  it('fails a first use with store_unavailable, without hanging, when Redis never answered', async () => {
    const port = redis.server.port
    await redis.server.stop()
    try {
      const store = redisStore({ url: `redis://127.0.0.1:${port}`, unavailableAfter: 300 })
      const key = { issuer: 'https://issuer.example.test/', clientId: 'app', profile: 'default' }
      expect(await codeOf(store.load(key))).toBe(KeywayErrorCodes.storeUnavailable)
      await store.close()
    } finally {
      await redis.server.restart()
    }
  })
})
