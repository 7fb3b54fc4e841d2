import { fileURLToPath } from 'node:url'
import { proxyVariables } from '@keyway/core'
import {
  type ForwardProxy,
  requireProgram,
  scriptedTransport,
  startForwardProxy,
  startNodeScript,
} from '@keyway/testing'
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  onTestFinished,
  vi,
} from 'vitest'
import { useDevProvider } from './support/dev.js'
import { startTlsFront } from './support/tls-front.js'

const ctx = useDevProvider()
const refreshOnce = fileURLToPath(new URL('./fixtures/refresh-once.mjs', import.meta.url))
const openssl = requireProgram('openssl', 'the https:// proxy test')
let proxy: ForwardProxy

beforeAll(async () => {
  proxy = await startForwardProxy()
})
afterAll(() => proxy?.close())
beforeEach(() => {
  // The machine's own proxy settings, if any, are not this test's.
  for (const name of [...proxyVariables, 'NO_PROXY', 'no_proxy']) vi.stubEnv(name, undefined)
  proxy.forwarded.length = 0
})
afterEach(() => {
  vi.unstubAllEnvs()
  vi.unstubAllGlobals()
})

/** Logs in through the scripted browser, then refreshes once. */
async function loginAndRefresh() {
  const kw = ctx.keyway({ transport: scriptedTransport() })
  const first = await kw.login()
  const second = await kw.getTokens({ forceRefresh: true })
  expect(second.accessToken).not.toBe(first.accessToken)
  expect(ctx.dev.counters.grants).toEqual({ authorization_code: 1, refresh_token: 1 })
}

describe('provider requests behind a proxy', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])(
    'go through the proxy that %s names: discovery, the code exchange and the refresh',
    async (name) => {
      vi.stubEnv(name, proxy.url)
      await loginAndRefresh()
      const { issuer } = ctx.dev
      expect(proxy.forwarded).toEqual([
        { method: 'GET', target: `${issuer}/.well-known/openid-configuration` },
        { method: 'POST', target: `${issuer}/token` },
        { method: 'POST', target: `${issuer}/token` },
      ])
      // Every request Keyway made reached the provider through the proxy.
      expect(ctx.dev.counters.requests.token).toBe(2)
      expect(ctx.dev.counters.requests.discovery).toBe(1)
    },
  )

  it('reach an http:// provider directly when only HTTPS_PROXY is set', async () => {
    vi.stubEnv('HTTPS_PROXY', proxy.url)
    await loginAndRefresh()
    expect(proxy.forwarded).toEqual([])
  })

  it('reach the provider directly when NO_PROXY names its host', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url)
    vi.stubEnv('NO_PROXY', '127.0.0.1')
    await loginAndRefresh()
    expect(proxy.forwarded).toEqual([])
    expect(ctx.dev.counters.requests.token).toBe(2)
  })

  it('are seen by an instrumentation of the global fetch installed after createKeyway', async () => {
    vi.stubEnv('HTTP_PROXY', proxy.url)
    const kw = ctx.keyway({ transport: scriptedTransport() })
    const seen: string[] = []
    const original = globalThis.fetch
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      seen.push(new URL(input instanceof Request ? input.url : input).pathname)
      return original(input, init)
    })
    await kw.login()
    await kw.getTokens({ forceRefresh: true })
    expect(seen.filter((path) => path === '/token')).toHaveLength(2)
    expect(proxy.forwarded.filter(({ target }) => target.endsWith('/token'))).toHaveLength(2)
  })

  it('fail with config_error, naming no URL, when the proxy variable holds no URL', async () => {
    vi.stubEnv('HTTP_PROXY', 'not a proxy url')
    const kw = ctx.keyway({ transport: scriptedTransport() })
    const error = await kw.login().catch((failure: unknown) => failure)
    expect(error).toMatchObject({ code: 'config_error' })
    expect(String((error as Error).message)).not.toContain('not a proxy url')
    expect(proxy.forwarded).toEqual([])
  })
})

/** Runs one refresh in a child `node` with `env`; it reports whether undici was loaded. */
async function refreshInChild(env: Record<string, string>) {
  const run = startNodeScript(refreshOnce, {
    stdin: 'ignore',
    env: {
      KEYWAY_TEST_ISSUER: ctx.dev.issuer,
      KEYWAY_TEST_CLIENT_ID: ctx.dev.clients.native.clientId,
      ...env,
    },
  })
  const { code, stdout, stderr } = await run.exited
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
  return stdout
}

describe.skipIf(!openssl)('an https:// provider behind HTTPS_PROXY', () => {
  it('is reached through a CONNECT tunnel, and directly when NO_PROXY names it', async () => {
    const front = await startTlsFront(ctx.dev.port, openssl!)
    onTestFinished(() => front.close())
    const env = {
      KEYWAY_TEST_TOKEN_ENDPOINT: `${front.origin}/token`,
      NODE_EXTRA_CA_CERTS: front.certificatePath,
      HTTPS_PROXY: proxy.url,
    }
    // The made-up refresh token is refused: the answer came from the provider itself.
    expect(await refreshInChild(env)).toBe('login_required undici:loaded\n')
    expect(proxy.forwarded).toEqual([{ method: 'CONNECT', target: front.origin.slice(8) }])
    expect(ctx.dev.counters.requests.token).toBe(1)

    expect(await refreshInChild({ ...env, NO_PROXY: '127.0.0.1' })).toBe(
      'login_required undici:loaded\n',
    )
    expect(proxy.forwarded).toHaveLength(1)
    expect(ctx.dev.counters.requests.token).toBe(2)
  })
})

describe('undici', () => {
  it('is not loaded for a provider request when no proxy variable is set', async () => {
    expect(await refreshInChild({})).toBe('login_required undici:not loaded\n')
    expect(ctx.dev.counters.requests.token).toBe(1)
  })

  it('is loaded, and the request goes through the proxy, when one is set', async () => {
    expect(await refreshInChild({ HTTP_PROXY: proxy.url })).toBe('login_required undici:loaded\n')
    expect(proxy.forwarded).toContainEqual({ method: 'POST', target: `${ctx.dev.issuer}/token` })
  })
})
