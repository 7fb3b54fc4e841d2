import { describe, expect, it } from 'vitest'
import { type Fetch, protocolFetch } from '../src/protocol/fetch.js'
import { RequestFailure } from '../src/protocol/request-failure.js'
import { RequestScopes } from '../src/protocol/request-scope.js'

const limit = 1024
const chunk = new Uint8Array(256).fill(97)

/** A body that yields `chunk` on every pull, for ever, and counts the pulls. */
function endlessBody() {
  let pulls = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulls += 1
        controller.enqueue(chunk)
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, pulls: () => pulls }
}

/** A protocol fetch over `base`, keeping the signal its request was sent with. */
function protocolOver(base: Fetch) {
  let signal: AbortSignal | undefined
  const recording: Fetch = (input, init) => {
    signal = init?.signal ?? undefined
    return base(input, init)
  }
  const fetch = protocolFetch(recording, Date.now, new RequestScopes(), {
    timeout: 30_000,
    maxResponseBytes: limit,
  })
  return { fetch, signal: () => signal }
}

const answering = (answer: () => Response) => protocolOver(async () => answer())
const failing = (error: Error) =>
  protocolOver(async () => {
    throw error
  })

async function failure(promise: Promise<unknown>): Promise<RequestFailure> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  if (!(error instanceof RequestFailure)) throw new Error(`expected a RequestFailure: ${error}`)
  return error
}

describe('the size limit of a provider answer', () => {
  it('hands on an answer of exactly the limit whole, with its status and headers', async () => {
    const body = new Uint8Array(limit).fill(120)
    const { fetch } = answering(
      () => new Response(body, { status: 201, headers: { 'x-kept': 'yes' } }),
    )
    const response = await fetch('http://127.0.0.1:9/token')
    expect(response.status).toBe(201)
    expect(response.headers.get('x-kept')).toBe('yes')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(body)
  })

  it('refuses an answer that declares more, without reading it, and ends the request', async () => {
    const endless = endlessBody()
    const { fetch, signal } = answering(
      () => new Response(endless.stream, { headers: { 'content-length': String(limit + 1) } }),
    )
    const refused = await failure(fetch('http://127.0.0.1:9/token?client_id=x'))
    expect(refused.kind).toBe('tooLarge')
    expect(refused.message).toBe(
      'the answer from http://127.0.0.1:9/token is larger than the 1024 bytes Keyway reads (maxResponseBytes)',
    )
    expect(endless.pulls()).toBe(0)
    expect(signal()?.reason).toBe(refused)
  })

  it('stops reading a streamed answer as soon as it passes the limit', async () => {
    const endless = endlessBody()
    const { fetch, signal } = answering(() => new Response(endless.stream))
    const refused = await failure(fetch('http://127.0.0.1:9/token'))
    expect(refused.kind).toBe('tooLarge')
    // Four chunks reach the limit; the fifth passes it, and nothing more is pulled.
    expect(endless.pulls()).toBeLessThanOrEqual(limit / chunk.length + 1)
    expect(signal()?.aborted).toBe(true)
  })
})

describe('a request that fails at the network', () => {
  it('names the URL without its query and the system’s code', async () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
        code: 'ECONNREFUSED',
      }),
    })
    const { fetch } = failing(refused)
    const failed = await failure(fetch('http://127.0.0.1:9/token?refresh_token=secret'))
    expect(failed.kind).toBe('unreachable')
    expect(failed.message).toBe('http://127.0.0.1:9/token could not be reached (ECONNREFUSED)')
  })

  it('tells a body that breaks while it is read from one that never came', async () => {
    const breaking = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk)
      },
      pull(controller) {
        controller.error(
          new TypeError('terminated', {
            cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
          }),
        )
      },
    })
    const { fetch } = answering(() => new Response(breaking))
    const broken = await failure(fetch('http://127.0.0.1:9/token'))
    expect(broken.kind).toBe('interrupted')
    expect(broken.code).toBe('ECONNRESET')
  })

  it('leaves an error from an app’s own fetch that is not a network failure as it is', async () => {
    const own = new TypeError("Cannot read properties of undefined (reading 'agent')")
    const { fetch } = failing(own)
    await expect(fetch('http://127.0.0.1:9/token')).rejects.toBe(own)
  })
})
