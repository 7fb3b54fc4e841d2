import {
  type Keyway,
  type KeywayErrorCode,
  memoryStore,
  type TokenSet,
  type TokenStore,
} from '@keyway/core'
import { loginToStore, scriptedTransport } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'
import {
  type FaultServer,
  HUGE_BODY_BYTES,
  type SocketFault,
  startFaultServer,
} from './support/fault-server.js'
import { type Fault, faultyFetch, json } from './support/faulty-fetch.js'
import { rejection } from './support/rejection.js'

const ctx = useDevProvider()
let server: FaultServer
beforeAll(async () => {
  server = await startFaultServer()
})
afterAll(async () => {
  await server.close()
})

/** Small, so that the hangs, stalls and drips of the matrix cost a few hundred ms each. */
const attempts = 3
const quick = { requestTimeout: 300, retry: { attempts, baseDelay: 5, maxDelay: 20 } }

/** One fault, and what Keyway must make of it. */
interface Row {
  readonly name: string
  readonly fault: Fault
  readonly code: KeywayErrorCode
  /** A refresh tries again (up to the policy's attempts); an exchange never does. */
  readonly retried: boolean
  /** The provider's `error` the KeywayError keeps. */
  readonly error?: string
  /** Words the message must hold: the system's code for a network failure. */
  readonly says?: string
}

const page = '<!doctype html><title>Sorry</title><h1>Down for maintenance</h1>'
const challenge = 'Basic realm="dev"'

const rows: Row[] = [
  { name: 'HTTP 500', fault: json(500, {}), code: 'network', retried: true, says: 'HTTP 500' },
  {
    name: 'HTTP 503 with Retry-After',
    fault: json(503, {}, { 'retry-after': '0' }),
    code: 'network',
    retried: true,
    says: 'HTTP 503',
  },
  {
    name: 'HTTP 429',
    fault: json(429, { error: 'slow_down' }),
    code: 'network',
    retried: true,
    says: 'HTTP 429',
  },
  {
    name: 'an HTML page with HTTP 200',
    fault: { kind: 'response', status: 200, body: page, headers: { 'content-type': 'text/html' } },
    code: 'invalid_response',
    retried: false,
  },
  {
    name: 'JSON of the wrong types',
    fault: json(200, { access_token: 42, token_type: ['Bearer'], expires_in: 'soon' }),
    code: 'invalid_response',
    retried: false,
  },
  { name: 'a hang', fault: { kind: 'hang' }, code: 'network', retried: true, says: '300 ms' },
  { name: 'a reset', fault: { kind: 'reset' }, code: 'network', retried: true, says: 'ECONNRESET' },
  {
    name: 'a reset mid-body',
    fault: { kind: 'reset-mid-body' },
    code: 'network',
    retried: true,
    says: 'ECONNRESET',
  },
  {
    name: 'a stall mid-body',
    fault: { kind: 'stall-mid-body' },
    code: 'network',
    retried: true,
    says: '300 ms',
  },
  {
    name: 'a slow drip past the timeout',
    fault: { kind: 'slow-drip' },
    code: 'network',
    retried: true,
    says: '300 ms',
  },
  {
    name: 'a 50 MB body',
    fault: { kind: 'huge-body' },
    code: 'invalid_response',
    retried: false,
    says: 'larger than the 1048576 bytes',
  },
  {
    name: 'HTTP 401 invalid_client with a JSON body and a challenge',
    fault: json(
      401,
      { error: 'invalid_client', error_description: 'client authentication failed' },
      { 'www-authenticate': challenge },
    ),
    code: 'provider_error',
    retried: false,
    error: 'invalid_client',
  },
  {
    name: 'HTTP 401 invalid_client in the challenge, without a body',
    fault: {
      kind: 'response',
      status: 401,
      body: '',
      headers: { 'www-authenticate': `${challenge}, error="invalid_client"` },
    },
    code: 'provider_error',
    retried: false,
    error: 'invalid_client',
  },
  {
    name: 'HTTP 401 with a bare challenge and an HTML page',
    fault: {
      kind: 'response',
      status: 401,
      body: page,
      headers: { 'www-authenticate': challenge, 'content-type': 'text/html' },
    },
    code: 'provider_error',
    retried: false,
    says: "refused the client's credentials (HTTP 401 and a basic challenge",
  },
  {
    name: 'a refused connection',
    fault: { kind: 'refused' },
    code: 'network',
    retried: true,
    says: 'ECONNREFUSED',
  },
  {
    name: 'a host name that does not resolve',
    fault: { kind: 'unresolved', code: 'ENOTFOUND' },
    code: 'network',
    retried: false,
    says: 'ENOTFOUND',
  },
  {
    name: 'a name server that does not answer',
    fault: { kind: 'unresolved', code: 'EAI_AGAIN' },
    code: 'network',
    retried: false,
    says: 'EAI_AGAIN',
  },
]

const socketFaults: readonly string[] = [
  'reset',
  'hang',
  'reset-mid-body',
  'stall-mid-body',
  'slow-drip',
  'huge-body',
] satisfies SocketFault[]

/** Counts the requests that `fault` brings to the fault server, when it plays it. */
function faultServerCount(fault: Fault): () => number | undefined {
  if (!socketFaults.includes(fault.kind)) return () => undefined
  const kind = fault.kind as SocketFault
  const before = server.requests[kind]
  return () => server.requests[kind] - before
}

/** A grant logged in at the dev provider, in its own store; the provider's counters reset. */
async function heldGrant(): Promise<{ store: TokenStore; held: TokenSet }> {
  const store = memoryStore()
  const held = await loginToStore(ctx.dev, store)
  ctx.dev.counters.reset()
  return { store, held }
}

function expectClassified(error: Awaited<ReturnType<typeof rejection>>, row: Row, held: TokenSet) {
  expect(error.code).toBe(row.code)
  expect(error.error).toBe(row.error)
  if (row.says !== undefined) expect(error.message).toContain(row.says)
  if (row.code === 'network') expect(error.message).toContain(new URL('token', ctx.dev.issuer).href)
  const told = `${error.message} ${JSON.stringify(error)}`
  for (const secret of [held.accessToken, held.refreshToken!, held.idToken!]) {
    expect(told).not.toContain(secret)
  }
}

/** The grant is still in the store, and the real provider still honours it. */
async function expectGrantUsable(store: TokenStore, held: TokenSet) {
  expect(await store.load(ctx.keyOf())).toEqual(held)
  const later = ctx.keyway({ store })
  const fresh = await later.getTokens({ forceRefresh: true })
  expect(fresh.accessToken).not.toBe(held.accessToken)
  expect(ctx.dev.counters.grants.refresh_token).toBe(1)
}

/**
 * After a failed token request: the provider saw none, the instance still serves the grant
 * it held, and (once it is stopped) the grant is still stored and honoured.
 */
async function expectGrantServedThenUsable(kw: Keyway, store: TokenStore, held: TokenSet) {
  expect(ctx.dev.counters.requests.token).toBe(0)
  expect(kw.state).toBe('authorized')
  expect(await kw.getAccessToken()).toBe(held.accessToken)
  kw.stop()
  await expectGrantUsable(store, held)
}

describe('a refresh whose token endpoint fails', () => {
  it.each(rows)('$name: $code, and the grant is kept', async (row) => {
    const { store, held } = await heldGrant()
    const faulty = faultyFetch(
      { grantType: 'refresh_token', faults: Array.from({ length: attempts }, () => row.fault) },
      server,
    )
    const seenByServer = faultServerCount(row.fault)
    const kw = ctx.keyway({ store, fetch: faulty.fetch, ...quick })

    expectClassified(await rejection(kw.getTokens({ forceRefresh: true })), row, held)

    const sent = row.retried ? attempts : 1
    expect(faulty.attempts).toHaveLength(sent)
    expect(seenByServer() ?? sent).toBe(sent)
    await expectGrantServedThenUsable(kw, store, held)
  })
})

describe('a re-login whose code exchange fails', () => {
  it.each(rows)('$name: $code, and the grant held before is still served', async (row) => {
    const { store, held } = await heldGrant()
    const faulty = faultyFetch({ grantType: 'authorization_code', faults: [row.fault] }, server)
    const seenByServer = faultServerCount(row.fault)
    const kw = ctx.keyway({ store, transport: scriptedTransport(), fetch: faulty.fetch, ...quick })

    expectClassified(await rejection(kw.login()), row, held)

    // The code is redeemed once at most, whatever the failure.
    expect(faulty.attempts).toHaveLength(1)
    expect(seenByServer() ?? 1).toBe(1)
    await expectGrantServedThenUsable(kw, store, held)
  })
})

describe('a 50 MB token response', () => {
  it('is refused after about the size limit, and its connection closed', async () => {
    const { store, held } = await heldGrant()
    const faulty = faultyFetch(
      { grantType: 'refresh_token', faults: [{ kind: 'huge-body' }] },
      server,
    )
    const kw = ctx.keyway({ store, fetch: faulty.fetch, ...quick })
    const error = await rejection(kw.getTokens({ forceRefresh: true }))
    expect(error.code).toBe('invalid_response')
    // What the socket took is the 1 MiB limit plus what the kernel's buffers on both sides
    // hold; nowhere near the 50 MB the server meant to send.
    expect(await server.hugeBodySent()).toBeLessThan(HUGE_BODY_BYTES / 5)
    expect(await kw.getAccessToken()).toBe(held.accessToken)
  })
})

describe('the size limit on other requests', () => {
  it('refuses a discovery document larger than maxResponseBytes, once', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport(), maxResponseBytes: 256, ...quick })
    const error = await rejection(kw.login())
    expect(error.code).toBe('invalid_response')
    expect(error.message).toContain(
      new URL('.well-known/openid-configuration', ctx.dev.issuer).href,
    )
    expect(ctx.dev.counters.requests.discovery).toBe(1)
  })
})

describe('a confidential client with a wrong secret, at the dev provider', () => {
  it('fails the login with provider_error invalid_client', async () => {
    const { clientId } = ctx.dev.clients.confidential
    const kw = ctx.keyway({
      clientId,
      clientSecret: 'not-the-secret',
      transport: scriptedTransport(),
      store: memoryStore(),
    })
    const error = await rejection(kw.login())
    expect(error.code).toBe('provider_error')
    expect(error.error).toBe('invalid_client')
    expect(error.status).toBe(401)
    expect(error.message).not.toContain('not-the-secret')
  })
})
