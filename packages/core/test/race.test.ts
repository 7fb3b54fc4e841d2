import {
  type AuthorizationRequest,
  type Callback,
  type CodeTransport,
  KeywayError,
  KeywayErrorCodes,
  race,
  type TokenTransport,
} from '@keyway/core'
import { describe, expect, it } from 'vitest'

/**
 * A code transport whose answers the test gives by hand. `picks` names a redirect URI of its
 * own (as loopback does); without it the transport adopts the URI offered (as paste does).
 */
function handTransport(name: string, picks?: string) {
  const log: string[] = []
  const sessions: {
    redirectUri: string
    signal: AbortSignal
    request?: AuthorizationRequest
    answer: (callback: Callback) => void
    fail: (error: KeywayError) => void
    closed: number
  }[] = []
  let failOpen: KeywayError | undefined
  const transport: CodeTransport = {
    kind: 'code',
    name,
    async open({ signal, redirectUri }) {
      if (failOpen) throw failOpen
      const uri = picks ?? redirectUri ?? 'http://127.0.0.1/callback'
      log.push(`open ${uri}`)
      let answer!: (callback: Callback) => void
      let fail!: (error: KeywayError) => void
      const answered = new Promise<Callback>((resolve, reject) => {
        answer = resolve
        fail = reject
      })
      const state = { redirectUri: uri, signal, answer, fail, closed: 0 } as (typeof sessions)[0]
      sessions.push(state)
      return {
        redirectUri: uri,
        receive(request) {
          state.request = request
          request.signal.addEventListener('abort', () => {
            log.push('cancelled')
            fail(request.signal.reason as KeywayError)
          })
          return answered
        },
        async finish(outcome) {
          log.push(outcome.ok ? 'finish ok' : `finish ${outcome.error.code}`)
        },
        async close() {
          state.closed += 1
          log.push('close')
        },
      }
    },
  }
  return {
    transport,
    log,
    sessions,
    get last() {
      return sessions.at(-1)!
    },
    failOpenWith(error: KeywayError) {
      failOpen = error
    },
  }
}

function request(signal = new AbortController().signal): AuthorizationRequest {
  return {
    url: new URL('https://id.example.com/authorize?client_id=app'),
    state: 'state-1',
    issuer: 'https://id.example.com',
    issRequired: false,
    signal,
  }
}

const context = () => ({ signal: new AbortController().signal })
const callbackUrl = new URL('http://127.0.0.1:5000/callback?code=c&state=state-1')

/** Lets the race's promise handlers run. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** A race of two racers that adopt its redirect URI, opened and waiting for an answer. */
async function waitingRace() {
  const a = handTransport('a')
  const b = handTransport('b')
  const session = await race(a.transport, b.transport).open(context())
  const received = session.receive(request())
  await settle()
  return { a, b, session, received }
}

describe('race()', () => {
  it('gives every racer the redirect URI of the one that picks its own', async () => {
    const pasteLike = handTransport('paste')
    const loopbackLike = handTransport('loopback', 'http://127.0.0.1:5000/callback')
    const session = await race(pasteLike.transport, loopbackLike.transport).open(context())

    expect(session.redirectUri).toBe('http://127.0.0.1:5000/callback')
    expect(pasteLike.log).toEqual([
      'open http://127.0.0.1/callback',
      'close',
      'open http://127.0.0.1:5000/callback',
    ])
    expect(loopbackLike.log).toEqual(['open http://127.0.0.1:5000/callback'])
    await session.close()
  })

  it('opens each racer once when the one that picks its URI comes first', async () => {
    const loopbackLike = handTransport('loopback', 'http://127.0.0.1:5000/callback')
    const pasteLike = handTransport('paste')
    const session = await race(loopbackLike.transport, pasteLike.transport).open(context())

    expect(session.redirectUri).toBe('http://127.0.0.1:5000/callback')
    expect(pasteLike.log).toEqual(['open http://127.0.0.1:5000/callback'])
    await session.close()
  })

  it('lets the first callback win, then cancels and closes the others', async () => {
    const { a, b, session, received } = await waitingRace()
    b.last.answer({ kind: 'redirect', url: callbackUrl })

    await expect(received).resolves.toEqual({ kind: 'redirect', url: callbackUrl })
    expect(a.log).toEqual(['open http://127.0.0.1/callback', 'cancelled', 'close'])
    expect(a.last.request?.signal.aborted).toBe(true)
    expect(b.last.request?.signal.aborted).toBe(false)
    expect(b.last.closed).toBe(0)

    a.last.answer({ kind: 'code', code: 'late' })
    await session.finish({ ok: true })
    await session.close()
    await session.close()
    expect(b.log).toEqual(['open http://127.0.0.1/callback', 'finish ok', 'cancelled', 'close'])
    expect(a.last.closed).toBe(2)
  })

  it('hands each racer the attempt it was asked for, under its own signal', async () => {
    const a = handTransport('a')
    const b = handTransport('b')
    const session = await race(a.transport, b.transport).open(context())
    const outer = new AbortController()
    void session.receive(request(outer.signal)).catch(() => undefined)
    await settle()

    expect(a.last.request).toMatchObject({ state: 'state-1', issuer: 'https://id.example.com' })
    expect(a.last.request?.url.href).toBe('https://id.example.com/authorize?client_id=app')
    outer.abort()
    expect(a.last.request?.signal.aborted).toBe(true)
    expect(b.last.request?.signal.aborted).toBe(true)
    await session.close()
  })

  it('keeps waiting when a racer gives up on its own, and fails when all have', async () => {
    const { a, b, session, received } = await waitingRace()
    a.last.fail(new KeywayError(KeywayErrorCodes.aborted, 'The input ended.'))
    await settle()
    expect(a.log.at(-1)).toBe('close')
    expect(b.last.closed).toBe(0)

    b.last.fail(new KeywayError(KeywayErrorCodes.aborted, 'The input ended too.'))
    await expect(received).rejects.toMatchObject({
      code: 'aborted',
      message: 'The input ended too.',
    })
    await session.close()
  })

  it('ends at once on an answer from the provider, and closes the others', async () => {
    const { a, b, session, received } = await waitingRace()
    a.last.fail(new KeywayError(KeywayErrorCodes.accessDenied, 'The authorization was denied.'))

    await expect(received).rejects.toMatchObject({ code: 'access_denied' })
    expect(b.log).toEqual(['open http://127.0.0.1/callback', 'cancelled', 'close'])
    await session.finish({ ok: false, error: new KeywayError('access_denied', 'denied') })
    expect(a.log).toContain('finish access_denied')
    expect(b.log).not.toContain('finish access_denied')
    await session.close()
  })

  it('reports a racer that fails with something other than a KeywayError', async () => {
    const a = handTransport('a')
    const session = await race(a.transport).open(context())
    const received = session.receive(request())
    await settle()
    a.last.fail(new TypeError('boom') as unknown as KeywayError)
    await expect(received).rejects.toMatchObject({
      code: 'invalid_response',
      message: 'The a transport failed.',
    })
    await session.close()
  })

  it('refuses two racers that each pick their own redirect URI, closing what it opened', async () => {
    const one = handTransport('loopback', 'http://127.0.0.1:5000/callback')
    const two = handTransport('loopback', 'http://127.0.0.1:6000/callback')
    const opening = race(one.transport, two.transport).open(context())

    await expect(opening).rejects.toMatchObject({
      code: 'config_error',
      message: expect.stringMatching(/each need their own redirect URI/),
    })
    expect(one.last.closed).toBe(1)
    expect(two.last.closed).toBe(1)
  })

  it('closes the racers already open when another fails to open', async () => {
    const a = handTransport('a')
    const b = handTransport('b')
    b.failOpenWith(new KeywayError(KeywayErrorCodes.portInUse, 'Port 5000 is taken.'))

    await expect(race(a.transport, b.transport).open(context())).rejects.toMatchObject({
      code: 'port_in_use',
    })
    expect(a.log).toEqual(['open http://127.0.0.1/callback', 'close'])
  })

  it('adopts the redirect URI offered by an enclosing race', async () => {
    const a = handTransport('a')
    const session = await race(a.transport).open({
      ...context(),
      redirectUri: 'http://127.0.0.1:7000/callback',
    })
    expect(session.redirectUri).toBe('http://127.0.0.1:7000/callback')
    await session.close()
  })

  it('names itself after its racers', () => {
    const named = race(handTransport('loopback').transport, handTransport('paste').transport)
    expect(named).toMatchObject({ kind: 'code', name: 'race(loopback, paste)' })
  })

  it('refuses a token transport and an empty race as config errors', () => {
    const deviceLike: TokenTransport = {
      kind: 'tokens',
      name: 'device',
      authorize: async () => {
        throw new Error('not called')
      },
    }
    // @ts-expect-error: a token transport cannot race code transports
    expect(() => race(handTransport('paste').transport, deviceLike)).toThrow(
      expect.objectContaining({ code: 'config_error', message: expect.stringMatching(/device/) }),
    )
    expect(() => race()).toThrow(expect.objectContaining({ code: 'config_error' }))
  })
})
