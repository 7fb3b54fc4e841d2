import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DPoPKeyJwk, KeywayErrorCodes, memoryStore, type TokenSet } from '@keyway/core'
import { fileStore } from '@keyway/store-file'
import {
  type DPoPResourceServer,
  introspectToken,
  jwkThumbprint,
  scriptedTransport,
  startDPoPResourceServer,
  startRefresher,
} from '@keyway/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'
import { rejection } from './support/rejection.js'

const ctx = useDevProvider()
let dir = ''
const servers: DPoPResourceServer[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyway-dpop-'))
})
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A Keyway on the dev provider's client that requires DPoP-bound tokens. */
function dpopKeyway(overrides: Parameters<typeof ctx.keyway>[0] = {}) {
  return ctx.keyway({
    clientId: ctx.dev.clients.dpop.clientId,
    dpop: true,
    transport: scriptedTransport(),
    ...overrides,
  })
}

async function resourceServer(requireNonce = false) {
  const server = await startDPoPResourceServer({ dev: ctx.dev, requireNonce })
  servers.push(server)
  return server
}

/** Another ES256 key, as another machine would have made. */
async function otherKey(): Promise<DPoPKeyJwk> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
  ])
  const { x, y, d } = await crypto.subtle.exportKey('jwk', pair.privateKey)
  return { kty: 'EC', crv: 'P-256', x: x!, y: y!, d: d! }
}

describe('DPoP-bound tokens against the dev provider (the client requires DPoP)', () => {
  it('a login without DPoP is refused by the provider', async () => {
    const kw = dpopKeyway({ dpop: false })
    const error = await rejection(kw.login())
    expect(error.code).toBe(KeywayErrorCodes.providerError)
    expect(error.error).toBe('invalid_grant')
    expect(ctx.dev.counters.grantErrors).toEqual({ 'authorization_code:invalid_grant': 1 })
  })

  it('logs in with a key of its own: the token is DPoP, bound to that key, and the key is stored', async () => {
    const store = memoryStore()
    const kw = dpopKeyway({ store })
    const tokens = await kw.login()
    expect(tokens.tokenType).toBe('DPoP')
    expect(tokens.dpopKey).toMatchObject({ kty: 'EC', crv: 'P-256' })
    const stored = await store.load(ctx.keyOf(ctx.dev.clients.dpop.clientId))
    expect(stored?.dpopKey).toEqual(tokens.dpopKey)
    const token = await introspectToken(ctx.dev, tokens.accessToken)
    expect(token.active).toBe(true)
    expect(token.cnf?.jkt).toBe(jwkThumbprint(tokens.dpopKey!))
  })

  it('refreshes with the same key: the new token is bound to it too', async () => {
    const kw = dpopKeyway()
    const first = await kw.login()
    const second = await kw.getTokens({ forceRefresh: true })
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(second.dpopKey).toEqual(first.dpopKey)
    expect((await introspectToken(ctx.dev, second.accessToken)).cnf?.jkt).toBe(
      jwkThumbprint(first.dpopKey!),
    )
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })

  it('never shows the key in a snapshot, an event to an inspector, or JSON of the context', async () => {
    const kw = dpopKeyway()
    const tokens = await kw.login()
    const snapshot = JSON.stringify(kw.actor.getSnapshot())
    expect(snapshot).not.toContain(tokens.dpopKey!.d)
    expect(snapshot).not.toContain(tokens.accessToken)
    expect(snapshot).toContain('"tokenType":"DPoP"')
  })

  it('a refresh proving a different key is refused by the provider: login_required', async () => {
    const kw = dpopKeyway()
    const tokens = await kw.login()
    const store = memoryStore()
    const key = ctx.keyOf(ctx.dev.clients.dpop.clientId)
    await store.save(key, { ...tokens, expiresAt: Date.now() - 1_000, dpopKey: await otherKey() })
    const thief = ctx.keyway({ clientId: ctx.dev.clients.dpop.clientId, store })
    const error = await rejection(thief.getAccessToken())
    expect(error.code).toBe(KeywayErrorCodes.loginRequired)
    expect(ctx.dev.counters.grantErrors).toEqual({ 'refresh_token:invalid_grant': 1 })
    expect(error.message).not.toContain(tokens.refreshToken!)
  })

  it('a stored key that is not a usable P-256 key is a dead grant: login_required, and cleared', async () => {
    const tokens = await dpopKeyway().login()
    const store = memoryStore()
    const key = ctx.keyOf(ctx.dev.clients.dpop.clientId)
    const offCurve = Buffer.alloc(32, 7).toString('base64url')
    const broken = { ...tokens.dpopKey!, x: offCurve, y: offCurve }
    await store.save(key, { ...tokens, expiresAt: Date.now() - 1_000, dpopKey: broken })
    const kw = ctx.keyway({ clientId: ctx.dev.clients.dpop.clientId, store })
    const error = await rejection(kw.getAccessToken())
    expect(error.code).toBe(KeywayErrorCodes.loginRequired)
    expect(error.message).not.toContain(broken.d)
    expect(await store.load(key)).toBeUndefined()
    expect(ctx.dev.counters.grants.refresh_token).toBeUndefined()
  })

  it('a new process that loads the record from a file refreshes with the stored key', async () => {
    const path = join(dir, 'tokens.json')
    const store = fileStore({ path })
    const first = await dpopKeyway({ store }).login()
    const key = ctx.keyOf(ctx.dev.clients.dpop.clientId)
    await store.save(key, { ...first, expiresAt: Date.now() - 1_000 })
    const text = await readFile(path, 'utf8')
    expect(text).toContain(first.dpopKey!.d)
    const refresher = startRefresher({
      dev: ctx.dev,
      clientId: ctx.dev.clients.dpop.clientId,
      store: {
        module: new URL('../../store-file/dist/index.js', import.meta.url).href,
        factory: 'fileStore',
        options: { path },
      },
      profile: key.profile,
      lockLease: 5_000,
    })
    expect(await refresher.outcome).toMatchObject({ type: 'refreshed' })
    const second = (await store.load(key)) as TokenSet
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(second.dpopKey).toEqual(first.dpopKey)
    expect((await introspectToken(ctx.dev, second.accessToken)).cnf?.jkt).toBe(
      jwkThumbprint(first.dpopKey!),
    )
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })
})

describe('calling a resource server with a DPoP-bound token', () => {
  it('kw.fetch sends a proof the server accepts: method, URL, ath, the key the token is bound to', async () => {
    const server = await resourceServer()
    const kw = dpopKeyway()
    await kw.login()
    const get = await kw.fetch(new URL('me', server.url))
    expect(get.status).toBe(200)
    expect(await get.json()).toMatchObject({ sub: expect.any(String) })
    const post = await kw.fetch(new URL('items?page=2', server.url), { method: 'POST', body: 'x' })
    expect(post.status).toBe(200)
    expect(server.accepted).toBe(2)
    expect(server.refusals).toEqual([])
  })

  it('a proof is refused when replayed, used for another method or URL, or with another token', async () => {
    const server = await resourceServer()
    const kw = dpopKeyway()
    await kw.login()
    const url = new URL('me', server.url)
    const headers = await kw.authorizationHeaders('GET', url)
    expect(headers.authorization).toMatch(/^DPoP /)
    expect((await fetch(url, { headers: { ...headers } })).status).toBe(200)
    expect((await fetch(url, { headers: { ...headers } })).status).toBe(401)
    const forGet = await kw.authorizationHeaders('GET', url)
    expect((await fetch(url, { method: 'DELETE', headers: { ...forGet } })).status).toBe(401)
    const forMe = await kw.authorizationHeaders('GET', url)
    const elsewhere = new URL('admin', server.url)
    expect((await fetch(elsewhere, { headers: { ...forMe } })).status).toBe(401)
    const forOldToken = await kw.authorizationHeaders('GET', url)
    const { accessToken } = await kw.getTokens({ forceRefresh: true })
    const swapped = { ...forOldToken, authorization: `DPoP ${accessToken}` }
    expect((await fetch(url, { headers: swapped })).status).toBe(401)
    expect(server.refusals).toEqual(['replayed jti', 'wrong method', 'wrong URL', 'wrong ath'])
    expect(server.accepted).toBe(1)
  })

  it('a Bearer grant gets its plain Authorization header, with no proof', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport() })
    const { accessToken } = await kw.login()
    expect(await kw.authorizationHeaders('GET', 'https://api.example.test/me')).toEqual({
      authorization: `Bearer ${accessToken}`,
    })
  })

  it('a token presented with another key is refused by the key check', async () => {
    const server = await resourceServer()
    const kw = dpopKeyway()
    const tokens = await kw.login()
    const store = memoryStore()
    await store.save(ctx.keyOf(ctx.dev.clients.dpop.clientId), {
      ...tokens,
      dpopKey: await otherKey(),
    })
    const thief = ctx.keyway({ clientId: ctx.dev.clients.dpop.clientId, store })
    expect((await thief.fetch(new URL('me', server.url))).status).toBe(401)
    expect(server.refusals).toEqual(['wrong key'])
  })

  it('does not resend a body it cannot send twice (a stream): the challenge comes back', async () => {
    const server = await resourceServer(true)
    const kw = dpopKeyway()
    await kw.login()
    const body = new Blob(['{"n":1}']).stream()
    const init = { method: 'POST', body, duplex: 'half' } as RequestInit
    const challenged = await kw.fetch(new URL('items', server.url), init)
    expect(challenged.status).toBe(401)
    expect(challenged.headers.get('www-authenticate')).toContain('use_dpop_nonce')
    // The nonce was kept all the same: the next request carries it.
    expect(
      (await kw.fetch(new URL('items', server.url), { method: 'POST', body: 'x' })).status,
    ).toBe(200)
    expect(server.nonceChallenges).toBe(1)
  })

  it('answers a use_dpop_nonce challenge once, and keeps the nonce for the next requests', async () => {
    const server = await resourceServer(true)
    const kw = dpopKeyway()
    await kw.login()
    expect((await kw.fetch(new URL('me', server.url))).status).toBe(200)
    expect((await kw.fetch(new URL('me', server.url))).status).toBe(200)
    expect(server.nonceChallenges).toBe(1)
    expect(server.accepted).toBe(2)
  })
})
