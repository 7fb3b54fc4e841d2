import { memoryStore, type TokenSet } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'
import { rejection } from './support/rejection.js'

const ctx = useDevProvider()

/** A second Keyway holding exactly `tokens`, to try a refresh token the first one used. */
async function keywayHolding(tokens: TokenSet) {
  const store = memoryStore()
  await store.save(ctx.keyOf(), { ...tokens, expiresAt: Date.now() - 1000 })
  return ctx.keyway({ store })
}

describe('refresh against the dev provider', () => {
  it('refreshes, keeps the rotated refresh token, and saves before answering', async () => {
    const store = memoryStore()
    const kw = ctx.keyway({ transport: scriptedTransport(), store })
    const first = await kw.login()
    const saved: TokenSet[] = []
    kw.on('tokens', (tokens) => saved.push(tokens))
    const second = await kw.getTokens({ forceRefresh: true })
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(second.refreshToken).toBeTruthy()
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(await store.load(ctx.keyOf())).toEqual(second)
    expect(saved).toEqual([second])
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })

  it('answers waiting callers once the tokens are saved and the snapshot reads authorized', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport(), store: memoryStore() })
    await kw.login()
    const states: string[] = []
    kw.subscribe((state) => states.push(state))
    const announced: TokenSet[] = []
    kw.on('tokens', (tokens) => announced.push(tokens))
    const { fresh, snapshot } = await kw
      .getTokens({ forceRefresh: true })
      .then((fresh) => ({ fresh, snapshot: kw.actor.getSnapshot() }))
    expect(kw.state).toBe('authorized')
    expect(snapshot.matches('authorized')).toBe(true)
    expect(snapshot.context.tokens?.unseal() === fresh).toBe(true)
    expect(announced.length === 1 && announced[0] === fresh).toBe(true)
    expect(states).toEqual(['refreshing', 'authorized'])
  })

  it('treats a reused (rotated-out) refresh token as a dead grant: login_required', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport() })
    const first = await kw.login()
    await kw.getTokens({ forceRefresh: true })
    const stale = await keywayHolding(first)
    expect((await rejection(stale.getAccessToken())).code).toBe('login_required')
    expect(stale.state).toBe('loginRequired')
    expect(ctx.dev.counters.grantErrors['refresh_token:invalid_grant']).toBe(1)
  })

  it('lands in loginRequired and clears the store when the provider revoked the grant', async () => {
    const store = memoryStore()
    const kw = ctx.keyway({ transport: scriptedTransport(), store })
    await kw.login()
    const events: string[] = []
    kw.on('loginRequired', (error) => events.push(error.code))
    ctx.dev.revokeAllGrants()
    expect((await rejection(kw.getAccessToken({ forceRefresh: true }))).code).toBe('login_required')
    expect(kw.state).toBe('loginRequired')
    expect(await store.load(ctx.keyOf())).toBeUndefined()
    expect(events).toEqual(['login_required'])
    // No retry loop: one refresh request, and later calls do not send more.
    expect((await rejection(kw.getAccessToken())).code).toBe('login_required')
    expect(ctx.dev.counters.requests.token).toBe(2)
  })

  it('logs out: revokes refresh and access token, clears the store, ends idle', async () => {
    const store = memoryStore()
    const kw = ctx.keyway({ transport: scriptedTransport(), store })
    const tokens = await kw.login()
    await kw.logout()
    expect(kw.state).toBe('idle')
    expect(ctx.dev.counters.requests.revocation).toBe(2)
    expect(await store.load(ctx.keyOf())).toBeUndefined()
    const afterLogout = await keywayHolding(tokens)
    expect((await rejection(afterLogout.getAccessToken())).code).toBe('login_required')
  })

  it('reads the store again when its machine starts late: another process may have refreshed', async () => {
    // A store without a lock: nothing but the re-read keeps the rotated-out token unused.
    const inner = memoryStore()
    const shared = { name: 'shared', load: inner.load, save: inner.save, delete: inner.delete }
    const first = ctx.keyway({ transport: scriptedTransport(), store: shared })
    await first.login()
    await first.stop()
    const reader = ctx.keyway({ store: shared })
    expect(await reader.ready()).toBe('authorized')
    const other = ctx.keyway({ store: shared })
    const rotated = await other.getTokens({ forceRefresh: true })
    // The reader's own start-up read holds the refresh token the provider has just retired.
    const fresh = await reader.getTokens({ minTtl: Number.MAX_SAFE_INTEGER })
    expect(fresh.refreshToken).not.toBe(rotated.refreshToken)
    expect(ctx.dev.counters.grantErrors).toEqual({})
  })

  it('counts expiry from when the token request was sent', async () => {
    const delay = 300
    const slowFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (String(input).endsWith('/token')) await new Promise((r) => setTimeout(r, delay))
      return response
    }
    const kw = ctx.keyway({ transport: scriptedTransport(), fetch: slowFetch })
    await kw.login()
    const before = Date.now()
    const tokens = await kw.getTokens({ forceRefresh: true })
    // The dev provider issues one-hour tokens: expiry counts from the send, not the answer.
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3600_000)
    expect(tokens.expiresAt).toBeLessThan(Date.now() + 3600_000 - delay / 2)
  })
})
