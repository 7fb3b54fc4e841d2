import { memoryStore } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it, vi } from 'vitest'
import { useDevProvider } from './support/dev.js'
import { rejection } from './support/rejection.js'

const ctx = useDevProvider()

/** A logged-in Keyway on a memory store, and the machine states it goes through from now. */
async function loggedIn() {
  const store = memoryStore()
  const kw = ctx.keyway({ transport: scriptedTransport(), store })
  const tokens = await kw.login()
  await new Promise((resolve) => setImmediate(resolve))
  const machineStates: unknown[] = []
  kw.actor.subscribe((snapshot) => machineStates.push(snapshot.value))
  return { kw, store, tokens, machineStates }
}

/** Lets the event loop run until nothing is queued for a while (the machine caught up). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50))
}

describe('a refresh a caller needs, sent before the machine hears of it', () => {
  it('is adopted by the machine, which goes through refreshing as before', async () => {
    const { kw, machineStates } = await loggedIn()
    const fresh = await kw.getTokens({ forceRefresh: true })
    await settle()
    expect(machineStates).toEqual(['refreshing', { authorized: 'waiting' }])
    expect(kw.actor.getSnapshot().context.tokens?.unseal() === fresh).toBe(true)
    expect(ctx.dev.counters.grants.refresh_token).toBe(1)
  })

  it('makes a logout wait for it, then clears what it saved', async () => {
    const { kw, store } = await loggedIn()
    const refreshing = kw.getTokens({ forceRefresh: true })
    await kw.logout()
    expect((await refreshing).accessToken).toBeTruthy()
    await settle()
    expect(kw.state).toBe('idle')
    expect(await store.load(ctx.keyOf())).toBeUndefined()
    expect(ctx.dev.counters.requests.revocation).toBe(2)
  })

  it('makes a login wait until the refresh is done, so its rotated token is never lost', async () => {
    const { kw, store } = await loggedIn()
    const refreshing = kw.getTokens({ forceRefresh: true })
    const relogin = kw.login()
    const refreshed = await refreshing
    const loggedInAgain = await relogin
    expect(loggedInAgain.accessToken).not.toBe(refreshed.accessToken)
    expect((await store.load(ctx.keyOf()))?.accessToken === loggedInAgain.accessToken).toBe(true)
    expect(ctx.dev.counters.grantErrors).toEqual({})
  })

  it('is aborted, saving nothing, when the app sends the machine a logout before it adopts it', async () => {
    // The refresh reaches the provider before the revocation does, and its answer comes back
    // late: without the abort, it would be saved after the logout had cleared the store.
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
    await settle()
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
