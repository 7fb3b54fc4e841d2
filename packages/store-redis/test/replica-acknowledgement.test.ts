import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { createKeyway, type Fetch, KeywayErrorCodes, parseStoredTokens } from '@keyway/core'
import { devStoreKey, loginToStore, startDevProvider } from '@keyway/testing'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { redisKeyNames, redisStore } from '../src/index.js'
import { codeOf, eventually } from './outage-support.js'
import { topologiesRunnable, useRedisSentinel } from './use-redis-server.js'

const KEY = { issuer: 'https://issuer.example', clientId: 'worker', profile: 'default' }
const TOKENS = { accessToken: 'first', tokenType: 'Bearer' }

function isRefreshGrant(init: RequestInit | undefined): boolean {
  const body = init?.body
  const form = body instanceof URLSearchParams ? body : new URLSearchParams(String(body ?? ''))
  return form.get('grant_type') === 'refresh_token'
}

describe.skipIf(!topologiesRunnable)('behind Sentinel, writes the replica must acknowledge', () => {
  const group = useRedisSentinel()
  const sentinelOptions = () => ({
    redisOptions: { sentinels: [...group().sentinels], name: group().name },
    prefix: `ack-${randomUUID()}:`,
  })
  /** A plain client on the replica, to read what reached it. */
  const onReplica = async () => {
    const client = new Redis({ port: await group().replicaPort(), host: '127.0.0.1' })
    client.on('error', () => undefined)
    return client
  }

  it('fails a save the replica did not acknowledge; Keyway holds the tokens, says why, and saves them again', {
    timeout: 60_000,
  }, async () => {
    const dev = await startDevProvider()
    const options = sentinelOptions()
    const store = redisStore(options)
    // Stops the replica once the provider has answered a refresh: the lock was acknowledged,
    // the save after it cannot be.
    let pauseOnRefresh = false
    const pausingFetch: Fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (pauseOnRefresh && isRefreshGrant(init)) {
        pauseOnRefresh = false
        await group().pauseReplica()
      }
      return response
    }
    const replica = await onReplica()
    const kw = createKeyway({
      issuer: dev.issuer,
      clientId: dev.clients.native.clientId,
      store,
      fetch: pausingFetch,
    })
    const errors: { readonly code: string; readonly message: string }[] = []
    kw.on('error', ({ code, message }) => errors.push({ code, message }))
    const saved: string[] = []
    kw.on('tokens', (tokens) => saved.push(tokens.accessToken))
    try {
      const login = await loginToStore(dev, store)
      expect((await kw.getAccessToken()) === login.accessToken).toBe(true)
      pauseOnRefresh = true
      expect(await codeOf(kw.getTokens({ forceRefresh: true }))).toBe(KeywayErrorCodes.storeError)
      expect(pauseOnRefresh).toBe(false)
      expect(errors).toEqual([
        { code: KeywayErrorCodes.storeError, message: expect.stringMatching(/minReplicas/) },
      ])
      expect(errors[0]?.message).toMatch(/kept in memory and saved again/)
      // The rotated tokens answer from memory; the replica still has the login's.
      const held = await kw.getAccessToken()
      expect(held === login.accessToken).toBe(false)
      const names = redisKeyNames(devStoreKey(dev), options.prefix)
      await group().resumeReplica()
      await eventually(20_000, 'the held tokens saved again', async () => saved.includes(held))
      const onTheReplica = parseStoredTokens((await replica.get(names.tokens)) ?? '')
      expect(onTheReplica._tag === 'Right' && onTheReplica.right.accessToken === held).toBe(true)
      // One refresh, and no refresh token used twice.
      expect(dev.counters.grants.refresh_token).toBe(1)
      expect(dev.counters.grantErrors).toEqual({})
    } finally {
      await group().resumeReplica()
      replica.disconnect()
      await kw.stop()
      await store.close()
      await dev.close()
    }
  })

  it('gives back a lock the replica did not acknowledge, so no refresh is made under it', {
    timeout: 30_000,
  }, async () => {
    const options = sentinelOptions()
    const store = redisStore(options)
    const watch = new Redis({ ...options.redisOptions })
    watch.on('error', () => undefined)
    try {
      await store.save(KEY, TOKENS)
      await group().pauseReplica()
      const refused = await store.lock(KEY, { leaseMs: 10_000 }).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(refused).toMatchObject({
        code: KeywayErrorCodes.storeError,
        message: expect.stringMatching(/refresh lock.*given back/),
      })
      expect(await watch.exists(redisKeyNames(KEY, options.prefix).lock)).toBe(0)
      await group().resumeReplica()
      const lock = await store.lock(KEY, { leaseMs: 10_000 })
      expect(lock.fence).toBeGreaterThan(0)
      await lock.release()
    } finally {
      await group().resumeReplica()
      watch.disconnect()
      await store.close()
    }
  })

  it('keeps the fence across a failover: a holder whose lease ran out during it cannot save', {
    timeout: 60_000,
  }, async () => {
    const options = sentinelOptions()
    const late = redisStore(options)
    const next = redisStore(options)
    const leaseMs = 1_000
    try {
      await late.save(KEY, TOKENS)
      const stale = await late.lock(KEY, { leaseMs })
      const leaseEnds = Date.now() + leaseMs
      await group().failover()
      await sleep(Math.max(0, leaseEnds - Date.now()))
      const fresh = await next.lock(KEY, { leaseMs: 10_000, signal: AbortSignal.timeout(20_000) })
      // The fence was acknowledged with the lock, so the promoted replica had it.
      expect(fresh.fence).toBeGreaterThan(stale.fence ?? Number.POSITIVE_INFINITY)
      await next.save(KEY, { ...TOKENS, accessToken: 'next' }, { lock: fresh })
      const lateSave = () => late.save(KEY, { ...TOKENS, accessToken: 'late' }, { lock: stale })
      let code = await codeOf(lateSave())
      for (let attempt = 0; code === KeywayErrorCodes.storeUnavailable && attempt < 20; attempt++) {
        code = await codeOf(lateSave())
      }
      expect(code).toBe(KeywayErrorCodes.storeError)
      expect((await next.load(KEY))?.accessToken).toBe('next')
      await fresh.release()
    } finally {
      await late.close()
      await next.close()
    }
  })
})
