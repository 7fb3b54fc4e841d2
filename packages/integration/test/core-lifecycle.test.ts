import { type CodeTransport, memoryStore, type TokenSet, type TokenStore } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it, vi } from 'vitest'
import type { InspectionEvent } from 'xstate'
import { useDevProvider } from './support/dev.js'
import { faultyFetch, json } from './support/faulty-fetch.js'
import { rejection } from './support/rejection.js'

const ctx = useDevProvider()

/** A logged-in Keyway on a memory store, and the machine states it goes through from now. */
async function loggedIn(store: TokenStore = memoryStore()) {
  const kw = ctx.keyway({ transport: scriptedTransport(), store })
  const tokens = await kw.login()
  const machineStates: unknown[] = []
  kw.actor.subscribe((snapshot) => machineStates.push(snapshot.value))
  return { kw, store, tokens, machineStates }
}

/** A memory store whose saves fail while `failing` is set, as a full disk or a Redis blip. */
function flakyStore() {
  const inner = memoryStore()
  const control = { failing: false }
  const store: TokenStore = {
    ...inner,
    name: 'flaky',
    save: async (key, tokens: TokenSet, options) => {
      if (control.failing) throw new Error('disk full')
      return inner.save(key, tokens, options)
    },
  }
  return { store, control }
}

describe('a refresh a caller needs', () => {
  it('goes through the machine, and the caller resumes once the snapshot reads authorized', async () => {
    const { kw, machineStates } = await loggedIn()
    const seenAtResume = await kw.getTokens({ forceRefresh: true }).then((fresh) => ({
      fresh,
      state: kw.state,
      held: kw.actor.getSnapshot().context.tokens?.unseal(),
    }))
    expect(seenAtResume.state).toBe('authorized')
    expect(seenAtResume.held === seenAtResume.fresh).toBe(true)
    expect(machineStates).toEqual(['refreshing', { authorized: 'waiting' }])
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })

  it('is seen by an inspector entering refreshing before the request, authorized after the save', async () => {
    const log: string[] = []
    const inner = memoryStore()
    const store: TokenStore = {
      ...inner,
      save: async (key, tokens, options) => {
        await inner.save(key, tokens, options)
        log.push('saved')
      },
    }
    const recordingFetch: typeof fetch = (input, init) => {
      if (String(input).endsWith('/token')) log.push('token request')
      return fetch(input, init)
    }
    const inspect = (event: InspectionEvent) => {
      if (event.type !== '@xstate.snapshot' || event.actorRef.sessionId !== event.rootId) return
      const value = (event.snapshot as { value?: unknown }).value
      const state = typeof value === 'string' ? value : Object.keys(value as object)[0]
      if (log.at(-1) !== state) log.push(state as string)
    }
    const kw = ctx.keyway({ transport: scriptedTransport(), store, fetch: recordingFetch })
    await kw.login()
    const watched = ctx.keyway({ store, fetch: recordingFetch, inspect })
    await watched.ready()
    log.length = 0
    await watched.getTokens({ forceRefresh: true })
    log.push('caller resumed')
    expect(log).toEqual(['refreshing', 'token request', 'saved', 'authorized', 'caller resumed'])
  })

  it('is cut off by a logout, which clears the store; the caller gets aborted', async () => {
    const { kw, store } = await loggedIn()
    const refreshing = rejection(kw.getTokens({ forceRefresh: true }))
    await kw.logout()
    expect((await refreshing).code).toBe('aborted')
    expect(kw.state).toBe('idle')
    expect(await store.load(ctx.keyOf())).toBeUndefined()
  })

  it('finishes before a login asked for after it, so its rotated token is never lost', async () => {
    const { kw, store } = await loggedIn()
    const refreshing = kw.getTokens({ forceRefresh: true })
    const relogin = kw.login()
    const refreshed = await refreshing
    const loggedInAgain = await relogin
    expect(loggedInAgain.accessToken).not.toBe(refreshed.accessToken)
    expect((await store.load(ctx.keyOf()))?.accessToken === loggedInAgain.accessToken).toBe(true)
    expect(ctx.dev.counters.grantErrors).toEqual({})
  })

  it('saves nothing when the app sends the machine a logout while the request is out', async () => {
    // The refresh reaches the provider before the revocation does, and its answer comes back
    // late: it must not be saved after the logout had cleared the store.
    const slowTokens: typeof fetch = async (input, init) => {
      const url = String(input)
      if (url.endsWith('/revocation')) await new Promise((r) => setTimeout(r, 50))
      const response = await fetch(input, init)
      if (url.endsWith('/token')) await new Promise((r) => setTimeout(r, 400))
      return response
    }
    const store = memoryStore()
    const kw = ctx.keyway({ transport: scriptedTransport(), store, fetch: slowTokens })
    await kw.login()
    const refreshing = rejection(kw.getTokens({ forceRefresh: true }))
    kw.actor.send({ type: 'logout' })
    expect((await refreshing).code).toBe('aborted')
    await vi.waitFor(() => expect(kw.state).toBe('idle'))
    // Past the time the provider's answer to the refresh arrives.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await store.load(ctx.keyOf())).toBeUndefined()
  })

  it('is cut off by stop(), which waits for it to let go', async () => {
    const { kw } = await loggedIn()
    const refreshing = rejection(kw.getTokens({ forceRefresh: true }))
    await kw.stop()
    expect((await refreshing).code).toBe('aborted')
  })

  it('leaves a Keyway stopped right after it in authorized, as its caller saw it', async () => {
    const { kw } = await loggedIn()
    const states: string[] = []
    kw.subscribe((state) => states.push(state))
    await kw.getTokens({ forceRefresh: true })
    await kw.stop()
    expect(kw.state).toBe('authorized')
    expect(states).toEqual(['refreshing', 'authorized'])
  })
})

describe('a Keyway that holds no usable grant', () => {
  it('reads the store again when asked for a token: a login made elsewhere is picked up', async () => {
    const store = memoryStore()
    const server = ctx.keyway({ store })
    expect((await rejection(server.getAccessToken())).code).toBe('login_required')
    // Another process (a CLI login, say) saves a grant in the same store.
    const cli = ctx.keyway({ transport: scriptedTransport(), store })
    const saved = await cli.login()
    expect(await server.getAccessToken()).toBe(saved.accessToken)
    expect(server.state).toBe('authorized')
  })

  it('reads a store that could not be read at start again, once it answers', async () => {
    const inner = memoryStore()
    const control = { down: true }
    const store: TokenStore = {
      ...inner,
      load: async (key, context) => {
        if (control.down) throw new Error('connection refused')
        return inner.load(key, context)
      },
    }
    const { tokens } = await loggedIn(inner)
    const kw = ctx.keyway({ store })
    expect((await rejection(kw.getAccessToken())).code).toBe('store_error')
    control.down = false
    expect(await kw.getAccessToken()).toBe(tokens.accessToken)
  })

  it('reads the store once for a herd of callers', async () => {
    const inner = memoryStore()
    let loads = 0
    const store: TokenStore = {
      ...inner,
      load: async (key, context) => {
        loads++
        return inner.load(key, context)
      },
    }
    const kw = ctx.keyway({ store })
    await kw.ready()
    loads = 0
    const codes = await Promise.all(
      Array.from({ length: 100 }, async () => (await rejection(kw.getAccessToken())).code),
    )
    expect(new Set(codes)).toEqual(new Set(['login_required']))
    expect(loads).toBe(1)
  })
})

describe('stop()', () => {
  it('ends every wait with aborted, however many wait, without a listener warning', async () => {
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(warning.name)
    process.on('warning', onWarning)
    const stuck: TokenStore = { ...memoryStore(), load: () => new Promise(() => undefined) }
    const kw = ctx.keyway({ transport: scriptedTransport(), store: stuck })
    const waits = Array.from({ length: 50 }, () => rejection(kw.getTokens()))
    await kw.stop()
    const codes = new Set((await Promise.all(waits)).map((error) => error.code))
    await new Promise((resolve) => setImmediate(resolve))
    process.off('warning', onWarning)
    expect(codes).toEqual(new Set(['aborted']))
    expect(warnings).toEqual([])
  })
})

describe('a refresh whose save failed', () => {
  it('holds the new tokens, never takes the older stored record back, and saves them later', async () => {
    const { store, control } = flakyStore()
    const { kw } = await loggedIn(store)
    const before = await store.load(ctx.keyOf())
    control.failing = true
    expect((await rejection(kw.getTokens({ forceRefresh: true }))).code).toBe('store_error')
    const held = await kw.getTokens()
    expect(held.accessToken).not.toBe(before?.accessToken)
    control.failing = false
    // The next refresh finds the older record under the lock: it refreshes with the held
    // (rotated) refresh token, not the stored one that the provider already rotated away.
    const next = await kw.getTokens({ forceRefresh: true })
    expect(ctx.dev.counters.grantErrors).toEqual({})
    expect(ctx.dev.counters.grants.refresh_token).toBe(2)
    expect((await store.load(ctx.keyOf()))?.accessToken === next.accessToken).toBe(true)
    expect(kw.actor.getSnapshot().context.unsaved).toBe(false)
  })

  it('does not bring back a grant that a logout in another process removed meanwhile', async () => {
    const { store, control } = flakyStore()
    const { kw } = await loggedIn(store)
    control.failing = true
    expect((await rejection(kw.getTokens({ forceRefresh: true }))).code).toBe('store_error')
    control.failing = false
    // Another process logs out: the store is empty, but it lost no data.
    await store.delete(ctx.keyOf())
    expect((await rejection(kw.getTokens({ forceRefresh: true }))).code).toBe('login_required')
    expect(kw.state).toBe('loginRequired')
    expect(await store.load(ctx.keyOf())).toBeUndefined()
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })
})

describe('a second login that does not complete', () => {
  it('keeps the grant held when the exchange fails, and reports the error', async () => {
    const { tokens } = await loggedIn()
    const store = memoryStore()
    await store.save(ctx.keyOf(), tokens)
    const faulty = faultyFetch({
      grantType: 'authorization_code',
      faults: [json(200, { access_token: 'no-token-type' })],
    })
    const kw = ctx.keyway({ transport: scriptedTransport(), store, fetch: faulty.fetch })
    expect(await kw.ready()).toBe('authorized')
    const errors: string[] = []
    kw.on('error', (error) => errors.push(error.code))
    const error = await rejection(kw.login())
    expect(error.code).toBe('invalid_response')
    expect(faulty.attempts).toHaveLength(1)
    expect(kw.state).toBe('authorized')
    expect(await kw.getAccessToken()).toBe(tokens.accessToken)
    expect(errors).toEqual(['invalid_response'])
    // The grant still works: a refresh goes through.
    expect((await kw.getTokens({ forceRefresh: true })).accessToken).not.toBe(tokens.accessToken)
  })

  it('keeps the grant held when the person denies the new consent', async () => {
    const { kw, tokens } = await loggedIn()
    const store = memoryStore()
    await store.save(ctx.keyOf(), tokens)
    const denied = ctx.keyway({ transport: scriptedTransport({ decision: 'deny' }), store })
    expect(await denied.ready()).toBe('authorized')
    expect((await rejection(denied.login())).code).toBe('access_denied')
    expect(denied.state).toBe('authorized')
    expect(await denied.getAccessToken()).toBe(tokens.accessToken)
    expect(kw.state).toBe('authorized')
  })
})

describe('a transport that fails', () => {
  it('rejects the login with aborted, not a store error, and then needs a login', async () => {
    const hangsUp: CodeTransport = {
      kind: 'code',
      name: 'flaky',
      async open() {
        return {
          redirectUri: 'http://127.0.0.1:9/callback',
          receive: async () => {
            throw new Error('socket hang up')
          },
          finish: async () => undefined,
          close: async () => undefined,
        }
      },
    }
    const kw = ctx.keyway({ transport: hangsUp })
    const error = await rejection(kw.login())
    expect(error.code).toBe('aborted')
    expect(error.message).toContain('flaky transport')
    expect((error.cause as Error).message).toBe('socket hang up')
    expect((await rejection(kw.getAccessToken())).code).toBe('login_required')
  })
})
