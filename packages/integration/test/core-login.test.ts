import { memoryStore, type TokenSet } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it, vi } from 'vitest'
import { useDevProvider } from './support/dev.js'
import { rejection } from './support/rejection.js'

const ctx = useDevProvider()

describe('login against the dev provider', () => {
  it('logs a public client in with PKCE and saves the tokens before resolving', async () => {
    const store = memoryStore()
    const kw = ctx.keyway({ transport: scriptedTransport(), store })
    const tokens = await kw.login()
    expect(tokens.tokenType.toLowerCase()).toBe('bearer')
    expect(tokens.refreshToken).toBeTruthy()
    expect(tokens.idToken).toBeTruthy()
    expect(tokens.expiresAt).toBeGreaterThan(Date.now())
    expect(await store.load(ctx.keyOf(ctx.dev.clients.native.clientId))).toEqual(tokens)
    expect(kw.state).toBe('authorized')
    expect(await kw.getAccessToken()).toBe(tokens.accessToken)
    expect(ctx.dev.counters.grants.authorization_code).toBe(1)
  })

  it('resolves login() once the tokens are saved, announced once, and the snapshot reads authorized', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport(), store: memoryStore() })
    const announced: TokenSet[] = []
    kw.on('tokens', (tokens) => announced.push(tokens))
    const { tokens, snapshot } = await kw
      .login()
      .then((tokens) => ({ tokens, snapshot: kw.actor.getSnapshot() }))
    expect(kw.state).toBe('authorized')
    expect(snapshot.matches('authorized')).toBe(true)
    expect(snapshot.context.tokens?.unseal() === tokens).toBe(true)
    expect(announced.length === 1 && announced[0] === tokens).toBe(true)
    expect((await kw.getTokens()) === tokens).toBe(true)
    await kw.logout()
    expect(kw.state).toBe('idle')
  })

  it('still ends a login that no one awaits (started through the actor) in authorized', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport(), store: memoryStore() })
    await vi.waitFor(() => expect(kw.actor.getSnapshot().value).toBe('idle'))
    const states: string[] = []
    kw.subscribe((state) => states.push(state))
    kw.actor.send({ type: 'login' })
    await vi.waitFor(() => expect(kw.state).toBe('authorized'))
    expect(states).toEqual(['authorizing', 'exchanging', 'authorized'])
  })

  it.each([
    ['client_secret_basic', 'keyway-confidential'],
    ['client_secret_post', 'keyway-confidential-post'],
  ] as const)('logs a confidential client in with %s', async (clientAuth, clientId) => {
    const kw = ctx.keyway({
      transport: scriptedTransport(),
      clientId,
      clientSecret: ctx.dev.clients.confidential.clientSecret,
      clientAuth,
    })
    const tokens = await kw.login()
    expect(tokens.accessToken).toBeTruthy()
    expect(ctx.dev.counters.grants.authorization_code).toBe(1)
  })

  it('refuses a callback whose state is not this attempt’s, before any token request', async () => {
    const kw = ctx.keyway({
      transport: scriptedTransport({
        tamper: (url) => {
          url.searchParams.set('state', 'forged-state')
          return url
        },
      }),
    })
    const error = await rejection(kw.login())
    expect(error.code).toBe('state_mismatch')
    expect(kw.state).toBe('failed')
    expect(ctx.dev.counters.requests.token).toBe(0)
  })

  it('refuses a callback whose iss names another issuer (mix-up), before any token request', async () => {
    const kw = ctx.keyway({
      transport: scriptedTransport({
        tamper: (url) => {
          url.searchParams.set('iss', 'https://attacker.example')
          return url
        },
      }),
    })
    const error = await rejection(kw.login())
    expect(error.code).toBe('invalid_response')
    expect(ctx.dev.counters.requests.token).toBe(0)
  })

  it('refuses a callback without iss from a provider that promises it', async () => {
    const kw = ctx.keyway({
      transport: scriptedTransport({
        tamper: (url) => {
          url.searchParams.delete('iss')
          return url
        },
      }),
    })
    expect((await rejection(kw.login())).code).toBe('invalid_response')
  })

  it('ends with access_denied when the person denies consent', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport({ decision: 'deny' }) })
    const error = await rejection(kw.login())
    expect(error.code).toBe('access_denied')
    expect(error.errorDescription).toBe('The person declined the request.')
  })

  it('restores a saved grant in a new instance without a login', async () => {
    const store = memoryStore()
    const first = ctx.keyway({ transport: scriptedTransport(), store })
    const tokens = await first.login()
    const second = ctx.keyway({ store })
    expect(await second.ready()).toBe('authorized')
    expect(await second.getAccessToken()).toBe(tokens.accessToken)
    expect(ctx.dev.counters.requests.authorization).toBe(1)
  })

  it('rejects getAccessToken with login_required when no one logged in, without a login', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport() })
    expect((await rejection(kw.getAccessToken())).code).toBe('login_required')
    expect(ctx.dev.counters.requests.authorization).toBe(0)
  })
})
