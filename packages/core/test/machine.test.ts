import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Actor, createActor, fromPromise } from 'xstate'
import {
  KeywayError,
  KeywayErrorCodes,
  type KeywayMachine,
  keywayMachine,
  type PendingLogin,
  type RefreshInput,
  type RefreshOutput,
  Sealed,
  type TokenSet,
} from '../src/index.js'
import { sealTokens } from '../src/machine/sealed-tokens.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'at-secret-value',
    tokenType: 'Bearer',
    refreshToken: 'rt-secret-value',
    expiresAt: Date.now() + HOUR,
    ...overrides,
  }
}

type Actors = Parameters<KeywayMachine['provide']>[0]['actors']

function start(actors: Actors, random = 0): Actor<KeywayMachine> {
  const machine = keywayMachine().provide({ actors })
  return createActor(machine, {
    input: { refreshMargin: MINUTE, clock: { now: () => Date.now(), random: () => random } },
  }).start()
}

const state = (actor: Actor<KeywayMachine>) => {
  const value = actor.getSnapshot().value
  return typeof value === 'string' ? value : JSON.stringify(value)
}

const restoring = (value: TokenSet | undefined) =>
  fromPromise(async () => (value === undefined ? undefined : sealTokens(value)))

const pendingTokens = (value: TokenSet) =>
  fromPromise(
    async () => new Sealed<PendingLogin>({ kind: 'tokens', transport: 'test', tokens: value }),
  )

const exchangeOk = fromPromise<Sealed<TokenSet>, Sealed<PendingLogin>>(async ({ input }) => {
  const pending = input.unseal()
  if (pending.kind !== 'tokens') throw new Error('test exchange handles tokens only')
  return sealTokens(pending.tokens)
})

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('restoring', () => {
  it('goes idle when the store is empty', async () => {
    const actor = start({ restore: restoring(undefined) })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('idle')
  })

  it('is authorized by a stored token that is still valid', async () => {
    const actor = start({ restore: restoring(tokens()) })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
  })

  it('refreshes a stored token that expired, when it has a refresh token', async () => {
    const refresh = vi.fn(async () => ({ tokens: sealTokens(tokens({ accessToken: 'at-2' })) }))
    const actor = start({
      restore: restoring(tokens({ expiresAt: Date.now() - 1 })),
      refresh: fromPromise(refresh),
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
    expect(actor.getSnapshot().context.tokens?.unseal().accessToken).toBe('at-2')
  })

  it('needs a login for an expired token without a refresh token', async () => {
    const actor = start({
      restore: restoring(tokens({ expiresAt: Date.now() - 1, refreshToken: undefined })),
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('loginRequired')
  })

  it('fails with the store error when the store cannot be read', async () => {
    const actor = start({
      restore: fromPromise<Sealed<TokenSet> | undefined>(async () => {
        throw new KeywayError(KeywayErrorCodes.storeUnavailable, 'down')
      }),
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('failed')
    expect(actor.getSnapshot().context.error?.code).toBe('store_unavailable')
  })
})

describe('logging in', () => {
  it('goes authorizing → exchanging → authorized and emits the tokens', async () => {
    const actor = start({
      restore: restoring(undefined),
      authorize: pendingTokens(tokens()),
      exchange: exchangeOk,
    })
    const seen: string[] = []
    actor.subscribe(() => seen.push(state(actor)))
    const emitted = vi.fn()
    actor.on('tokens', emitted)
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'login' })
    await vi.advanceTimersByTimeAsync(0)
    expect(seen).toEqual(['idle', 'authorizing', 'exchanging', '{"authorized":"waiting"}'])
    expect(emitted).toHaveBeenCalledTimes(1)
  })

  it('cancels in authorizing: back to idle, the transport is told through its signal', async () => {
    let aborted = false
    const actor = start({
      restore: restoring(undefined),
      authorize: fromPromise<Sealed<PendingLogin>>(
        ({ signal }) =>
          new Promise<never>(() => {
            signal.addEventListener('abort', () => {
              aborted = true
            })
          }),
      ),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'login' })
    actor.send({ type: 'login.cancel', error: new KeywayError(KeywayErrorCodes.aborted, 'stop') })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('idle')
    expect(aborted).toBe(true)
    expect(actor.getSnapshot().context.error?.code).toBe('aborted')
  })

  it('cancelling a second login keeps the tokens already held', async () => {
    const actor = start({
      restore: restoring(tokens()),
      authorize: fromPromise<Sealed<PendingLogin>>(() => new Promise<never>(() => undefined)),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'login' })
    expect(state(actor)).toBe('authorizing')
    actor.send({ type: 'login.cancel', error: new KeywayError(KeywayErrorCodes.timeout, 'slow') })
    expect(state(actor)).toBe('{"authorized":"waiting"}')
  })

  it('fails when the exchange fails, and login retries from failed', async () => {
    let attempts = 0
    const actor = start({
      restore: restoring(undefined),
      authorize: pendingTokens(tokens()),
      exchange: fromPromise<Sealed<TokenSet>, Sealed<PendingLogin>>(async ({ input }) => {
        attempts++
        if (attempts === 1) throw new KeywayError(KeywayErrorCodes.providerError, 'bad code')
        return sealTokens((input.unseal() as { tokens: TokenSet }).tokens)
      }),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'login' })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('failed')
    expect(actor.getSnapshot().context.error?.code).toBe('provider_error')
    actor.send({ type: 'login' })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
    expect(actor.getSnapshot().context.error).toBeUndefined()
  })

  it('fails with the transport error (access_denied) from authorizing', async () => {
    const actor = start({
      restore: restoring(undefined),
      authorize: fromPromise<Sealed<PendingLogin>>(async () => {
        throw new KeywayError(KeywayErrorCodes.accessDenied, 'no')
      }),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'login' })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('failed')
    expect(actor.getSnapshot().context.error?.code).toBe('access_denied')
  })
})

describe('refreshing', () => {
  it('refreshes at expiry minus the margin, minus the jitter', async () => {
    const refresh = vi.fn(async () => ({ tokens: sealTokens(tokens({ accessToken: 'at-2' })) }))
    // random() = 1: the largest jitter, 10% of the margin.
    const actor = start(
      {
        restore: restoring(tokens({ expiresAt: Date.now() + HOUR })),
        refresh: fromPromise(refresh),
      },
      1,
    )
    await vi.advanceTimersByTimeAsync(HOUR - MINUTE - 0.1 * MINUTE - 1)
    expect(refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
  })

  it('refreshes at half the lifetime when the margin exceeds it', async () => {
    const refresh = vi.fn(async () => ({
      tokens: sealTokens(tokens({ expiresAt: Date.now() + HOUR })),
    }))
    start({
      restore: restoring(tokens({ expiresAt: Date.now() + 60_000 })),
      refresh: fromPromise(refresh),
    })
    // margin 60 s on a 60 s token → refresh at 30 s (random 0: no jitter).
    await vi.advanceTimersByTimeAsync(29_999)
    expect(refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('waits again, without refreshing, when the expiry lies beyond one timer', async () => {
    const refresh = vi.fn(async () => ({ tokens: sealTokens(tokens()) }))
    const farAway = Date.now() + 60 * 24 * HOUR
    const actor = start({
      restore: restoring(tokens({ expiresAt: farAway })),
      refresh: fromPromise(refresh),
    })
    await vi.advanceTimersByTimeAsync(2 ** 31)
    expect(refresh).not.toHaveBeenCalled()
    expect(state(actor)).toBe('{"authorized":"waiting"}')
  })

  it('goes to loginRequired on invalid_grant, drops the tokens and emits it', async () => {
    const actor = start({
      restore: restoring(tokens()),
      refresh: fromPromise<RefreshOutput, RefreshInput>(async () => {
        throw new KeywayError(KeywayErrorCodes.loginRequired, 'revoked', { error: 'invalid_grant' })
      }),
    })
    const emitted = vi.fn()
    actor.on('loginRequired', emitted)
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('loginRequired')
    expect(actor.getSnapshot().context.tokens).toBeUndefined()
    expect(emitted).toHaveBeenCalledTimes(1)
  })

  it('retries after a backoff when the network fails, keeping the tokens', async () => {
    let calls = 0
    const actor = start({
      restore: restoring(tokens()),
      refresh: fromPromise(async () => {
        calls++
        if (calls === 1) throw new KeywayError(KeywayErrorCodes.network, 'offline')
        return { tokens: sealTokens(tokens({ accessToken: 'at-2' })) }
      }),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('{"authorized":"retrying"}')
    expect(actor.getSnapshot().context.tokens?.unseal().accessToken).toBe('at-secret-value')
    // First retry after 5 s × (0.75 + random/4) with random 0 → 3.75 s.
    await vi.advanceTimersByTimeAsync(3_750)
    expect(calls).toBe(2)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
    expect(actor.getSnapshot().context.refreshFailures).toBe(0)
  })

  it('goes to loginRequired on token.refresh without a refresh token', async () => {
    const actor = start({ restore: restoring(tokens({ refreshToken: undefined })) })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    expect(state(actor)).toBe('loginRequired')
  })
})

describe('tokens whose save failed', () => {
  const rotated = tokens({ accessToken: 'at-2', refreshToken: 'rt-2' })
  /** A refresh that brings `rotated` but could not save them: the store is down. */
  const refreshUnsaved = () =>
    vi.fn(
      async (_: { input: RefreshInput }): Promise<RefreshOutput> => ({
        tokens: sealTokens(rotated),
        saveError: new KeywayError(KeywayErrorCodes.storeUnavailable, 'down'),
      }),
    )
  /** A `storeBack` actor that resolves when the test says the store is back. */
  function storeComesBack() {
    const waiting: Array<() => void> = []
    return {
      actor: fromPromise<undefined>(
        () => new Promise<undefined>((resolve) => waiting.push(() => resolve(undefined))),
      ),
      back: () => {
        for (const resolve of waiting.splice(0)) resolve()
      },
    }
  }
  it('are saved, without a refresh, as soon as the store is back', async () => {
    const refresh = refreshUnsaved()
    const resave = vi.fn(async ({ input }: { input: RefreshInput }) => input.tokens)
    const store = storeComesBack()
    const actor = start({
      restore: restoring(tokens()),
      refresh: fromPromise(refresh),
      storeBack: store.actor,
      resave: fromPromise(resave),
    })
    const emitted: string[] = []
    actor.on('*', (event) => emitted.push(event.type))
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('{"authorized":"unsaved"}')
    expect(actor.getSnapshot().context.unsaved).toBe(true)
    expect(actor.getSnapshot().context.tokens?.unseal().accessToken).toBe('at-2')
    expect(resave).not.toHaveBeenCalled()

    store.back()
    await vi.advanceTimersByTimeAsync(0)
    expect(resave).toHaveBeenCalledTimes(1)
    const input = resave.mock.calls[0]![0].input
    expect({ accessToken: input.tokens.unseal().accessToken, unsaved: input.unsaved }).toEqual({
      accessToken: 'at-2',
      unsaved: true,
    })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
    expect(actor.getSnapshot().context.unsaved).toBe(false)
    expect(actor.getSnapshot().context.refreshFailures).toBe(0)
    expect(emitted).toEqual(['error', 'tokens'])
  })

  it('are saved after a backoff when the store cannot tell that it is back', async () => {
    const resave = vi.fn(async ({ input }: { input: RefreshInput }) => input.tokens)
    const actor = start({
      restore: restoring(tokens()),
      refresh: fromPromise(refreshUnsaved()),
      storeBack: storeComesBack().actor,
      resave: fromPromise(resave),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    // First try after 5 s × (0.75 + random/4) with random 0 → 3.75 s.
    await vi.advanceTimersByTimeAsync(3_749)
    expect(resave).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(resave).toHaveBeenCalledTimes(1)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
  })

  it('wait for the store again, still held, when their save fails again', async () => {
    let saves = 0
    const store = storeComesBack()
    const actor = start({
      restore: restoring(tokens()),
      refresh: fromPromise(refreshUnsaved()),
      storeBack: store.actor,
      resave: fromPromise(async ({ input }: { input: RefreshInput }) => {
        saves++
        if (saves === 1) throw new KeywayError(KeywayErrorCodes.storeUnavailable, 'down again')
        return input.tokens
      }),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    await vi.advanceTimersByTimeAsync(0)
    store.back()
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('{"authorized":"unsaved"}')
    expect(actor.getSnapshot().context.refreshFailures).toBe(2)
    expect(actor.getSnapshot().context.tokens?.unseal().accessToken).toBe('at-2')
    store.back()
    await vi.advanceTimersByTimeAsync(0)
    expect(saves).toBe(2)
    expect(state(actor)).toBe('{"authorized":"waiting"}')
  })

  it('are refreshed, not only saved, when a caller asks for a refresh', async () => {
    const refresh = refreshUnsaved()
    const resave = vi.fn(async ({ input }: { input: RefreshInput }) => input.tokens)
    const actor = start({
      restore: restoring(tokens()),
      refresh: fromPromise(refresh),
      storeBack: storeComesBack().actor,
      resave: fromPromise(resave),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    await vi.advanceTimersByTimeAsync(0)
    expect(refresh).toHaveBeenCalledTimes(2)
    // With the rotated refresh token held unsaved, never with the one the store still has.
    const { input } = refresh.mock.calls[1]![0]
    expect({ refreshToken: input.tokens.unseal().refreshToken, unsaved: input.unsaved }).toEqual({
      refreshToken: 'rt-2',
      unsaved: true,
    })
    expect(resave).not.toHaveBeenCalled()
  })
})

describe('logging out', () => {
  it('goes through loggingOut to idle and forgets the tokens', async () => {
    const logout = vi.fn(async () => undefined)
    const actor = start({ restore: restoring(tokens()), logout: fromPromise(logout) })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'logout' })
    expect(state(actor)).toBe('loggingOut')
    await vi.advanceTimersByTimeAsync(0)
    expect(state(actor)).toBe('idle')
    expect(actor.getSnapshot().context.tokens).toBeUndefined()
    expect(logout).toHaveBeenCalledTimes(1)
  })

  it('stops a refresh in progress', async () => {
    let aborted = false
    const actor = start({
      restore: restoring(tokens()),
      refresh: fromPromise<RefreshOutput, RefreshInput>(
        ({ signal }) =>
          new Promise<never>(() => {
            signal.addEventListener('abort', () => {
              aborted = true
            })
          }),
      ),
      logout: fromPromise(async () => undefined),
    })
    await vi.advanceTimersByTimeAsync(0)
    actor.send({ type: 'token.refresh' })
    actor.send({ type: 'logout' })
    await vi.advanceTimersByTimeAsync(0)
    expect(aborted).toBe(true)
    expect(state(actor)).toBe('idle')
  })
})

describe('what an inspector sees', () => {
  it('never shows a token value in a snapshot', async () => {
    const actor = start({ restore: restoring(tokens({ idToken: 'id-secret-value' })) })
    await vi.advanceTimersByTimeAsync(0)
    const serialized = JSON.stringify(actor.getSnapshot())
    expect(serialized).not.toMatch(/secret-value/)
    expect(serialized).toContain('"hasRefreshToken":true')
  })
})
