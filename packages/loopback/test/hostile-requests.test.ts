import { type DevProvider, ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { rawExchange } from '@keyway/testing/hostile-clients'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startLogin } from './support/login.js'

let dev: DevProvider

beforeAll(async () => {
  dev = await startDevProvider()
})
afterAll(() => dev?.close())
beforeEach(() => dev.counters.reset())

/** One request as a raw socket sends it, with the receiver's own `Host`. */
function rawGet(target: string, host: string): string {
  return `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`
}

describe('request targets that no browser sends', () => {
  // Each of these once made the URL parser throw inside the request listener, which ended
  // the process waiting in login(): any local program could end anyone's sign-in.
  const targets = [
    '/\\[',
    '/\\a:b',
    '/\\%',
    '/\\\\evil.example/callback',
    '//[',
    '//evil.example/callback',
    '/%',
    '/%zz/..%2f',
    '*',
    'http://[/callback',
    '/callback/../done',
    '/%63allback',
  ]

  it.each(targets)('%s gets a 404, and the login still completes', async (target) => {
    const run = startLogin(dev)
    const redirectUri = await run.redirectUri()
    const answer = await rawExchange(Number(redirectUri.port), rawGet(target, redirectUri.host))
    expect(answer.status).toBe(404)
    expect(answer.body).toContain('There is nothing here.')
    const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl())
    expect(walk.landed?.body).toContain('You are signed in.')
    await expect(run.done).resolves.toBeDefined()
    expect(dev.counters.requests.token).toBe(1)
  })

  it('an absolute-form target naming the callback, with the right state, is not the answer', async () => {
    const run = startLogin(dev)
    const redirectUri = await run.redirectUri()
    const state = (await run.authorizationUrl()).searchParams.get('state') ?? ''
    const absolute = new URL(`?code=planted&state=${state}`, redirectUri).href
    const answer = await rawExchange(Number(redirectUri.port), rawGet(absolute, redirectUri.host))
    expect(answer.status).toBe(404)
    await new ScriptedBrowser().authorize(await run.authorizationUrl())
    await expect(run.done).resolves.toBeDefined()
    expect(dev.counters.requests.token).toBe(1)
  })
})

describe('a request the receiver fails to handle', () => {
  const secret = 'template-secret-7f3a'
  const brokenPages = {
    rejected: (): string => {
      throw new Error(`The app's template broke while holding ${secret}`)
    },
  }

  it('gets a plain 400 that echoes nothing, is noted once without detail, and the login goes on', async () => {
    const run = startLogin(dev, { pages: brokenPages })
    const redirectUri = await run.redirectUri()
    const probe = 'echo-probe-5c1d'
    const forged = new URL(`?code=${probe}&state=${probe}`, redirectUri)
    const target = `${forged.pathname}${forged.search}`
    const port = Number(redirectUri.port)
    const answers = [
      await rawExchange(port, rawGet(target, redirectUri.host)),
      await rawExchange(port, rawGet(target, redirectUri.host)),
    ]
    for (const answer of answers) {
      expect(answer.status).toBe(400)
      expect(answer.headers).toContain('Referrer-Policy: no-referrer')
      expect(answer.body).toContain('This request could not be handled.')
      expect(answer.body).not.toContain(probe)
      expect(answer.body).not.toContain(secret)
    }
    const notices = run.output.lines.filter((line) => line.includes('could not handle a request'))
    expect(notices).toHaveLength(1)
    expect(run.output.text).not.toContain(secret)
    expect(run.output.text).not.toContain(probe)

    const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl())
    expect(walk.landed?.body).toContain('You are signed in.')
    await expect(run.done).resolves.toBeDefined()
    expect(dev.counters.requests.token).toBe(1)
  })
})
