import { randomUUID } from 'node:crypto'
import { createKeyway, type Fetch, KeywayErrorCodes } from '@keyway/core'
import { devStoreKey, loginToStore, startDevProvider } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { redisStore } from '../src/index.js'
import { codeOf, eventually, reconnected, within } from './outage-support.js'
import { redisProgram, useRedisServer } from './use-redis-server.js'

/** Long, so that a lock left behind by the outage would hold up the test past its timeout. */
const LEASE = 30_000

function isRefreshGrant(init: RequestInit | undefined): boolean {
  const body = init?.body
  const form = body instanceof URLSearchParams ? body : new URLSearchParams(String(body ?? ''))
  return form.get('grant_type') === 'refresh_token'
}

for (const persist of [true, false]) {
  describe.skipIf(redisProgram === undefined)(
    `Redis killed mid-refresh, AOF ${persist ? 'on' : 'off'}`,
    () => {
      const redis = useRedisServer({ persist })

      it('serves the rotated tokens from memory, saves them when Redis is back, and frees the lock', {
        timeout: LEASE - 5_000,
      }, async () => {
        const dev = await startDevProvider()
        const store = redisStore({
          url: redis.server.url,
          prefix: `refresh-outage-${randomUUID()}:`,
          unavailableAfter: 300,
        })
        const key = devStoreKey(dev)
        // Kills Redis once the provider has answered a refresh: the lock is held, the refresh
        // token rotated, and the save and the release meet the outage.
        let killOnRefresh = false
        const killingFetch: Fetch = async (input, init) => {
          const response = await fetch(input, init)
          if (killOnRefresh && isRefreshGrant(init)) {
            killOnRefresh = false
            await redis.server.stop('SIGKILL')
          }
          return response
        }
        const login = await loginToStore(dev, store)
        const machineEvents: string[] = []
        const kw = createKeyway({
          issuer: dev.issuer,
          clientId: dev.clients.native.clientId,
          store,
          fetch: killingFetch,
          lockLease: LEASE,
          inspect: (event) => {
            if (event.type === '@xstate.event') machineEvents.push(event.event.type)
          },
        })
        const errors: string[] = []
        kw.on('error', (error) => errors.push(error.code))
        const saved: string[] = []
        kw.on('tokens', (tokens) => saved.push(tokens.accessToken))
        try {
          expect(await kw.getAccessToken()).toBe(login.accessToken)
          killOnRefresh = true
          expect(await codeOf(kw.getTokens({ forceRefresh: true }))).toBe(
            KeywayErrorCodes.storeUnavailable,
          )
          expect(killOnRefresh).toBe(false)

          // Redis is down: the rotated tokens answer from memory, at once.
          const held = await within(2_000, 'getAccessToken() in the outage', kw.getAccessToken())
          expect(held).not.toBe(login.accessToken)
          expect(kw.state).toBe('authorized')
          // A caller that needs a refresh hears promptly that the store is down.
          const needsRefresh = kw.getTokens({ forceRefresh: true })
          expect(await within(5_000, 'a refresh in the outage', codeOf(needsRefresh))).toBe(
            KeywayErrorCodes.storeUnavailable,
          )
          expect(await kw.getAccessToken()).toBe(held)

          await redis.server.restart()
          await reconnected(() => store.load(key))
          // Saved as soon as Redis is back, without a refresh, under a lock the outage left
          // behind (with AOF on): waiting out its lease would miss this bound.
          // The record is in Redis a moment before the machine has taken the save's answer
          // and emitted `tokens`: wait for both.
          await eventually(10_000, 'the held tokens saved', async () => {
            return saved.length > 0 && (await store.load(key))?.accessToken === held
          })
          expect(saved).toEqual([held])
          // It was the store saying it is back that started the save, not the backoff's timer.
          const fromUnsaved = machineEvents.filter((type) => type.endsWith('.authorized.unsaved'))
          expect(fromUnsaved).toEqual([expect.stringMatching(/^xstate\.done\.actor\./)])

          const renewed = await within(
            10_000,
            'the refresh after the restart',
            kw.getTokens({ forceRefresh: true }),
          )
          expect(renewed.accessToken).not.toBe(held)
          expect(await store.load(key)).toStrictEqual(renewed)
          const lock = await store.lock(key, {
            leaseMs: LEASE,
            signal: AbortSignal.timeout(10_000),
          })
          await lock.release()

          // The provider saw the rotated refresh token used once, and the dead one never.
          expect(dev.counters.grants).toEqual({ authorization_code: 1, refresh_token: 2 })
          expect(dev.counters.grantErrors).toEqual({})
          // The failed save and the refused refresh, each reported once. The lock is not
          // released after the failed save (no failed release to report): it is kept for the
          // unsaved tokens, and the save under it once Redis is back takes it over.
          expect(errors).toEqual(Array(2).fill(KeywayErrorCodes.storeUnavailable))
        } finally {
          await kw.stop()
          await store.close()
          await dev.close()
        }
      })
    },
  )
}
