import { memoryStore, type TokenSet, type TokenStore } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'
import { type FaultServer, startFaultServer } from './support/fault-server.js'
import { type Fault, faultyFetch, json } from './support/faulty-fetch.js'
import { rejection } from './support/rejection.js'

const ctx = useDevProvider()
let faults: FaultServer
beforeAll(async () => {
  faults = await startFaultServer()
})
afterAll(async () => {
  await faults.close()
})

const quickRetry = { attempts: 4, baseDelay: 10, maxDelay: 40 }

async function loggedIn(
  planned: Fault[],
  options: { requestTimeout?: number; store?: TokenStore } = {},
) {
  const faulty = faultyFetch({ grantType: 'refresh_token', faults: planned }, faults)
  // The login runs with the default request timeout: a short one is for the refresh under test,
  // and a loaded machine may take longer than that for a real exchange.
  const store = options.store ?? memoryStore()
  const tokens = await ctx.keyway({ transport: scriptedTransport(), store }).login()
  const kw = ctx.keyway({
    transport: scriptedTransport(),
    fetch: faulty.fetch,
    retry: quickRetry,
    ...options,
    store,
  })
  await kw.ready()
  return { kw, tokens, attempts: faulty.attempts }
}

describe('refresh through transient failures', () => {
  it('retries 503s with backoff and then succeeds', async () => {
    const { kw, tokens, attempts } = await loggedIn([json(503, {}), json(503, {})])
    const fresh = await kw.getTokens({ forceRefresh: true })
    expect(fresh.accessToken).not.toBe(tokens.accessToken)
    expect(attempts).toHaveLength(3)
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })

  it('honours Retry-After on a 429', async () => {
    const { kw, attempts } = await loggedIn([
      json(429, { error: 'slow down' }, { 'retry-after': '1' }),
    ])
    await kw.getTokens({ forceRefresh: true })
    expect(attempts).toHaveLength(2)
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(950)
  })

  it('retries a reset connection and an HTML 502 page', async () => {
    const html: Fault = {
      kind: 'response',
      status: 502,
      body: '<html><body>Bad gateway</body></html>',
      headers: { 'content-type': 'text/html' },
    }
    const { kw, attempts } = await loggedIn([{ kind: 'reset' }, html])
    await kw.getTokens({ forceRefresh: true })
    expect(attempts).toHaveLength(3)
  })

  it('gives up after the attempts with network, keeping the grant and its tokens', async () => {
    const down = Array.from({ length: 4 }, () => json(503, {}))
    const { kw, tokens, attempts } = await loggedIn(down)
    const reported: string[] = []
    kw.on('error', (failure) => reported.push(failure.code))
    const error = await rejection(kw.getTokens({ forceRefresh: true }))
    expect(error.code).toBe('network')
    expect(reported).toEqual(['network'])
    expect(error.status).toBe(503)
    expect(attempts).toHaveLength(4)
    expect(kw.state).toBe('authorized')
    // Still valid, so still handed out; and a later refresh works once the provider is back.
    expect(await kw.getAccessToken()).toBe(tokens.accessToken)
    const fresh = await kw.getTokens({ forceRefresh: true })
    expect(fresh.accessToken).not.toBe(tokens.accessToken)
  })

  it('times out a request that hangs after requestTimeout ms, then retries it', async () => {
    const { kw, attempts } = await loggedIn([{ kind: 'hang' }], { requestTimeout: 300 })
    await kw.getTokens({ forceRefresh: true })
    expect(attempts).toHaveLength(2)
    // The timeout is counted in milliseconds, not rounded up to whole seconds: the retry came
    // well before a second had passed.
    expect(attempts[1]! - attempts[0]!).toBeLessThan(1_000)
  })

  it('lets the caller’s signal stop waiting while the provider is down', async () => {
    const down = Array.from({ length: 4 }, () => json(503, {}))
    const faulty = faultyFetch({ grantType: 'refresh_token', faults: down })
    const kw = ctx.keyway({
      transport: scriptedTransport(),
      fetch: faulty.fetch,
      retry: { attempts: 4, baseDelay: 60_000, maxDelay: 60_000 },
    })
    await kw.login()
    const error = await rejection(
      kw.getTokens({ forceRefresh: true, signal: AbortSignal.timeout(100) }),
    )
    expect(error.code).toBe('timeout')
    kw.stop()
  })
})

describe('stopping during a refresh', () => {
  it('rejects the waiting callers with aborted and saves nothing from the cut-off request', async () => {
    const store = memoryStore()
    const { kw, tokens } = await loggedIn([{ kind: 'hang' }], { store })
    kw.actor.send({ type: 'token.refresh' })
    const waiting = rejection(kw.getTokens({ forceRefresh: true }))
    const shortly = rejection(
      kw.getAccessToken().then(() => kw.getTokens({ minTtl: Number.MAX_SAFE_INTEGER })),
    )
    kw.stop()
    expect((await waiting).code).toBe('aborted')
    expect((await shortly).code).toBe('aborted')
    const key = {
      issuer: new URL(ctx.dev.issuer).href,
      clientId: 'keyway-native',
      profile: 'default',
    }
    expect((await store.load(key))?.accessToken).toBe(tokens.accessToken)
  })
})

describe('refresh answers that end the grant or are not OAuth', () => {
  it.each([
    ['HTTP 400 invalid_grant', json(400, { error: 'invalid_grant' })],
    [
      'HTTP 200 with an error body, as GitHub sends',
      json(200, { error: 'invalid_grant', error_description: 'bad' }),
    ],
  ])('maps %s to login_required without retrying', async (_, fault) => {
    const { kw, attempts } = await loggedIn([fault])
    expect((await rejection(kw.getTokens({ forceRefresh: true }))).code).toBe('login_required')
    expect(attempts).toHaveLength(1)
    expect(kw.state).toBe('loginRequired')
  })

  it('maps an HTML page with HTTP 200 to invalid_response', async () => {
    const fault: Fault = {
      kind: 'response',
      status: 200,
      body: '<html>ok</html>',
      headers: { 'content-type': 'text/html' },
    }
    const { kw, attempts } = await loggedIn([fault])
    expect((await rejection(kw.getTokens({ forceRefresh: true }))).code).toBe('invalid_response')
    expect(attempts).toHaveLength(1)
  })
})

describe('many callers, one refresh', () => {
  it('sends one token request for 1,000 concurrent callers of an expired token', async () => {
    const store = memoryStore()
    const kw = ctx.keyway({ transport: scriptedTransport(), store })
    const tokens = await kw.login()
    kw.stop()
    const expired = { ...tokens, expiresAt: Date.now() - 1 }
    await store.save(
      { issuer: new URL(ctx.dev.issuer).href, clientId: 'keyway-native', profile: 'default' },
      expired,
    )
    ctx.dev.counters.reset()
    const herd = ctx.keyway({ store })
    const results = await Promise.all(Array.from({ length: 1000 }, () => herd.getAccessToken()))
    expect(new Set(results).size).toBe(1)
    expect(results[0]).not.toBe(tokens.accessToken)
    expect(ctx.dev.counters.requests.token).toBe(1)
  })
})

describe('many callers on a warm instance whose token just expired', () => {
  it('all get the one refreshed token', async () => {
    let skew = 0
    const kw = ctx.keyway({ transport: scriptedTransport(), clock: () => Date.now() + skew })
    const tokens = await kw.login()
    skew = (tokens.expiresAt ?? 0) - Date.now() + 1_000
    ctx.dev.counters.reset()
    const results = await Promise.all(Array.from({ length: 50 }, () => kw.getAccessToken()))
    expect(new Set(results).size).toBe(1)
    expect(results[0]).not.toBe(tokens.accessToken)
    expect(ctx.dev.counters.requests.token).toBe(1)
  })
})

describe('a store that fails to save a refresh', () => {
  it('rejects the waiting callers with store_error and keeps the rotated tokens in memory', async () => {
    const inner = memoryStore()
    let failNextSave = false
    const store: TokenStore = {
      ...inner,
      name: 'flaky',
      save: async (key, tokens: TokenSet, options) => {
        if (failNextSave) {
          failNextSave = false
          throw new Error('disk full')
        }
        return inner.save(key, tokens, options)
      },
    }
    const kw = ctx.keyway({ transport: scriptedTransport(), store })
    const first = await kw.login()
    failNextSave = true
    const error = await rejection(kw.getTokens({ forceRefresh: true }))
    expect(error.code).toBe('store_error')
    // The provider rotated the refresh token: memory holds the new one, never the dead one.
    const held = await kw.getTokens()
    expect(held.accessToken).not.toBe(first.accessToken)
    expect(held.refreshToken).not.toBe(first.refreshToken)
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })
})

describe('code exchange answers that are not tokens', () => {
  const html = (status: number): Fault => ({
    kind: 'response',
    status,
    body: '<!doctype html><h1>Sorry</h1>',
    headers: { 'content-type': 'text/html' },
  })
  it.each([
    [
      'a non-JSON body',
      {
        kind: 'response',
        status: 200,
        body: 'access_token=x',
        headers: { 'content-type': 'text/plain' },
      } as Fault,
      'invalid_response',
    ],
    ['an HTML page with HTTP 200', html(200), 'invalid_response'],
    ['an HTML page with HTTP 400', html(400), 'invalid_response'],
    ['JSON without an access token', json(200, { token_type: 'Bearer' }), 'invalid_response'],
    ['JSON without a token type', json(200, { access_token: 'x' }), 'invalid_response'],
    [
      'HTTP 200 with an error body, as GitHub sends',
      json(200, { error: 'bad_verification_code' }),
      'provider_error',
    ],
    [
      'HTTP 400 invalid_grant',
      json(400, { error: 'invalid_grant', error_description: 'used' }),
      'provider_error',
    ],
  ])('fails the login on %s with %s', async (_, fault, code) => {
    const faulty = faultyFetch({ grantType: 'authorization_code', faults: [fault] })
    const kw = ctx.keyway({ transport: scriptedTransport(), fetch: faulty.fetch })
    const error = await rejection(kw.login())
    expect(error.code).toBe(code)
    expect(kw.state).toBe('failed')
    expect(faulty.attempts).toHaveLength(1)
  })
})
