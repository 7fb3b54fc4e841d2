import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { type Fetch, protocolFetch } from '../src/protocol/fetch.js'
import { RequestScopes } from '../src/protocol/request-scope.js'

/** A protocol fetch over a base that records the signal of each request and never answers. */
function recordingFetch(timeout = 30_000) {
  const signals: AbortSignal[] = []
  const base: Fetch = (_input, init) => {
    signals.push(init!.signal!)
    return new Promise(() => undefined)
  }
  const scopes = new RequestScopes()
  return {
    fetch: protocolFetch(base, Date.now, scopes, { timeout, maxResponseBytes: 1024 }),
    scopes,
    signals,
  }
}

describe('the signal of a protocol request', () => {
  it('aborts with the operation’s reason when the operation is cancelled', async () => {
    const { fetch, scopes, signals } = recordingFetch()
    const operation = new AbortController()
    void scopes.run(operation.signal, () => fetch('http://127.0.0.1:9/token'))
    await Promise.resolve()
    operation.abort(new Error('logged out'))
    expect(signals[0]?.aborted).toBe(true)
    expect((signals[0]?.reason as Error | undefined)?.message).toBe('logged out')
  })

  it('is aborted from the start when the operation already was', async () => {
    const { fetch, scopes, signals } = recordingFetch()
    void scopes.run(AbortSignal.abort(), () => fetch('http://127.0.0.1:9/token'))
    await Promise.resolve()
    expect(signals[0]?.aborted).toBe(true)
  })

  it('times out after requestTimeout ms with a TimeoutError', async () => {
    const { fetch, signals } = recordingFetch(20)
    void fetch('http://127.0.0.1:9/token')
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect((signals[0]?.reason as Error | undefined)?.name).toBe('TimeoutError')
  })

  it('follows a signal of openid-client’s own', async () => {
    const { fetch, signals } = recordingFetch()
    const own = new AbortController()
    void fetch('http://127.0.0.1:9/.well-known/openid-configuration', { signal: own.signal })
    own.abort()
    expect(signals[0]?.aborted).toBe(true)
  })

  it('leaves no listener on openid-client’s signal once the answer is read', async () => {
    const answering: Fetch = async () => new Response('{}')
    const fetch = protocolFetch(answering, Date.now, new RequestScopes(), {
      timeout: 30_000,
      maxResponseBytes: 1024,
    })
    const own = new AbortController()
    await fetch('http://127.0.0.1:9/.well-known/openid-configuration', { signal: own.signal })
    expect(getEventListeners(own.signal, 'abort')).toHaveLength(0)
  })

  it('leaves no listener on a signal that outlives many operations', async () => {
    const answering: Fetch = async () => new Response('{}')
    const scopes = new RequestScopes()
    const fetch = protocolFetch(answering, Date.now, scopes, {
      timeout: 30_000,
      maxResponseBytes: 1024,
    })
    const loop = new AbortController()
    for (let poll = 0; poll < 20; poll++) {
      await scopes.run(loop.signal, () => fetch('http://127.0.0.1:9/token'))
    }
    expect(getEventListeners(loop.signal, 'abort')).toHaveLength(0)
  })
})
