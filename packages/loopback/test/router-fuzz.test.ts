import { randomBytes } from 'node:crypto'
import type { AuthorizationRequest, CodeSession } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import {
  anyText,
  fuzzedRequest,
  fuzzedTarget,
  type RawAnswer,
  rawExchange,
  trickyText,
} from '@keyway/testing/hostile-clients'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RouteTable, routeRequest } from '../src/route.js'
import { send } from './support/http.js'
import { CollectedOutput } from './support/output.js'

const RUNS = 10_000

/**
 * The statuses a receiver still waiting may answer: its own 404 (anything but the callback)
 * and 400 (a callback that is not this login's), and those Node's HTTP layer answers before
 * the receiver sees the request: 400 (malformed), 413, 417 (an `Expect` it cannot meet) and
 * 431 (headers too large). 200, 302 and 409 need this login's `state`, which no fuzzed
 * request has.
 */
const waitingStatuses = new Set([400, 404, 413, 417, 431])
/** A header line with its length left out: the pages' lengths are checked by their bodies. */
const shapeOf = (line: string) => line.replace(/^(Content-Length: )\d+$/i, '$1…')

/** Header lines Node's HTTP layer writes on its own answers (the `Date` is left out). */
const nodeHeaderLines = [
  'Connection: close',
  'Connection: keep-alive',
  'Keep-Alive: timeout=5',
  'Transfer-Encoding: chunked',
]

describe('the receiver, fuzzed', () => {
  const output = new CollectedOutput()
  const controller = new AbortController()
  const state = randomBytes(32).toString('base64url')
  let session: CodeSession
  let answer: Promise<unknown>
  let port: number
  /** The only bodies an answer may have: empty, or one of the receiver's fixed pages. */
  const bodies = new Set([''])
  /** The only header lines an answer may have. */
  const headerLines = new Set(nodeHeaderLines)

  beforeAll(async () => {
    session = await loopback({ open: false, output }).open({ signal: controller.signal })
    port = Number(new URL(session.redirectUri).port)
    const request: AuthorizationRequest = {
      url: new URL('http://127.0.0.1:1/authorize'),
      state,
      issuer: 'http://127.0.0.1:1',
      issRequired: false,
      signal: controller.signal,
    }
    answer = session.receive(request)
    answer.catch(() => undefined)
    for (const known of [
      await rawExchange(port, `GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
      await rawExchange(port, `GET /callback?state=x HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
    ]) {
      bodies.add(known.body)
      for (const line of known.headers) headerLines.add(shapeOf(line))
    }
  })
  afterAll(() => session?.close())

  function expectFixedAnswer(got: RawAnswer, sentMethod: string): void {
    if (got.status === undefined) {
      // Node's HTTP layer drops a CONNECT (a proxy's method) unanswered; nothing else may be.
      expect(sentMethod).toBe('CONNECT')
      return
    }
    expect(waitingStatuses).toContain(got.status)
    expect(bodies).toContain(got.body)
    for (const line of got.headers) expect(headerLines).toContain(shapeOf(line))
  }

  it(`answers ${RUNS.toLocaleString('en')} arbitrary requests with a fixed answer, and keeps waiting`, async () => {
    const requests = fuzzedRequest(port)
    const seen = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const got = await rawExchange(port, Buffer.from(request.text, request.encoding))
        const kind = `${got.status ?? 'dropped'}${got.body === '' ? '' : ' page'}`
        seen.set(kind, (seen.get(kind) ?? 0) + 1)
        expectFixedAnswer(got, request.method)
      }),
      { numRuns: RUNS },
    )
    const counts = [...seen].map(([kind, count]) => `${kind}: ${count}`)
    process.stdout.write(`fuzzed requests by answer: ${counts.join(', ')}\n`)
    // Nothing reached the guard: the router itself answered every request.
    expect(output.text).not.toContain('could not handle a request')
    expect(seen.get('404 page') ?? 0).toBeGreaterThan(0)
    expect(seen.get('400 page') ?? 0).toBeGreaterThan(0)

    // The login is still waiting: its own answer is taken and held.
    const callback = new URL(`?code=fuzzed&state=${state}`, session.redirectUri)
    const redirect = send(callback)
    await expect(answer).resolves.toMatchObject({ kind: 'redirect' })
    await session.finish({ ok: true })
    await expect(redirect).resolves.toMatchObject({ status: 302, headers: { location: '/done' } })
  }, 180_000)
})

describe('routeRequest, fuzzed', () => {
  const redirectUri = new URL('http://127.0.0.1:41234/callback')
  const table: RouteTable = {
    redirectUri,
    hosts: new Set(['127.0.0.1:41234', 'localhost:41234']),
  }
  const anyRequest = fc.record({
    method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST'), anyText(8), fc.constant(undefined)),
    url: fc.oneof(
      fuzzedTarget,
      trickyText.map((text) => `/callback${text}`),
      fc.constant(undefined),
    ),
    host: fc.oneof(
      fc.constantFrom('127.0.0.1:41234', 'LOCALHOST:41234', 'localhost:41234'),
      anyText(30),
      fc.constant(undefined),
    ),
  })

  it(`never throws, and takes only GET on the exact path from this receiver's host (${RUNS.toLocaleString('en')} runs)`, () => {
    fc.assert(
      fc.property(anyRequest, ({ method, url, host }) => {
        const route = routeRequest({ method, url, headers: { host } }, table)
        const path = (url ?? '').split(/[?#]/)[0]
        const ours = method === 'GET' && table.hosts.has(host?.toLowerCase() ?? '')
        if (route.kind === 'callback') {
          expect(ours && path === redirectUri.pathname).toBe(true)
          expect(`${route.url.origin}${route.url.pathname}`).toBe(redirectUri.href)
        } else if (route.kind === 'finalPage') {
          expect(ours && (path === '/done' || path === '/error')).toBe(true)
        } else {
          expect(ours && ['/callback', '/done', '/error'].includes(path ?? '')).toBe(false)
        }
      }),
      { numRuns: RUNS },
    )
  })
})
