import { once } from 'node:events'
import { connect as connectTcp, type Socket } from 'node:net'
import { type DevProvider, ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { send } from './support/http.js'
import { type LoginRun, startLogin } from './support/login.js'
import { expectPortFree } from './support/ports.js'

let dev: DevProvider

beforeAll(async () => {
  dev = await startDevProvider()
})
afterAll(() => dev?.close())
beforeEach(() => dev.counters.reset())

const exchanges = () => dev.counters.grants.authorization_code ?? 0

/** Opens a bare TCP connection to the receiver, as a browser's preconnect does. */
async function connect(uri: URL): Promise<Socket> {
  const socket = connectTcp(Number(uri.port), uri.hostname)
  socket.on('error', () => undefined)
  onTestFinished(() => {
    socket.destroy()
  })
  await once(socket, 'connect')
  return socket
}

/** Signs in from the URL, as the person would, and checks the code was exchanged once. */
async function signInOnce(run: LoginRun, authorizationUrl: URL): Promise<void> {
  const walk = await new ScriptedBrowser().authorize(authorizationUrl)
  expect(walk.landed?.body).toContain('You are signed in.')
  await expect(run.done).resolves.toBeDefined()
  expect(exchanges()).toBe(1)
}

/** Fetches the success page as the browser would, and checks the code was exchanged once. */
async function landOnce(run: LoginRun, callback: URL): Promise<void> {
  expect((await send(new URL('/done', callback))).status).toBe(200)
  await expect(run.done).resolves.toBeDefined()
  expect(exchanges()).toBe(1)
}

/** The provider's redirect back to the app, with a real code, not yet delivered. */
async function callbackFor(authorizationUrl: URL): Promise<URL> {
  const walk = await new ScriptedBrowser().authorize(authorizationUrl, { followRedirect: false })
  return walk.callbackUrl
}

describe('requests that are not the answer', () => {
  it('get a 404 and change nothing: favicon, HEAD, POST, other paths, a foreign Host', async () => {
    const run = startLogin(dev)
    const authorizationUrl = await run.authorizationUrl()
    const redirectUri = await run.redirectUri()
    const state = authorizationUrl.searchParams.get('state') ?? ''
    const ours = new URL(`?code=planted&state=${state}`, redirectUri)
    const strays = [
      send(new URL('/favicon.ico', redirectUri)),
      send(ours, { method: 'HEAD' }),
      send(ours, { method: 'POST', body: 'code=planted' }),
      send(ours, { method: 'PUT' }),
      send(new URL(`/callback/?${ours.searchParams}`, redirectUri)),
      send(new URL(`/other?${ours.searchParams}`, redirectUri)),
      send(new URL('/done', redirectUri)),
      send(new URL('/error', redirectUri)),
      send(ours, { headers: { host: `attacker.example:${redirectUri.port}` } }),
    ]
    for (const answer of await Promise.all(strays)) expect(answer.status).toBe(404)

    await signInOnce(run, authorizationUrl)
  })

  it('get a 400 when the state is wrong, missing or repeated, and the login keeps waiting', async () => {
    const run = startLogin(dev)
    const authorizationUrl = await run.authorizationUrl()
    const redirectUri = await run.redirectUri()
    const state = authorizationUrl.searchParams.get('state') ?? ''
    const forged = [
      '?code=forged&state=not-this-one',
      '?code=forged',
      `?code=forged&state=${state}&state=other`,
      '?error=access_denied&state=not-this-one',
    ]
    for (const query of forged) {
      const answer = await send(new URL(query, redirectUri))
      expect(answer.status).toBe(400)
      expect(answer.body).toContain('does not belong to the sign-in in progress')
    }

    await signInOnce(run, authorizationUrl)
  })
})

describe('a second valid callback', () => {
  it('gets the "already received" page and never a second exchange', async () => {
    const run = startLogin(dev)
    const callback = await callbackFor(await run.authorizationUrl())
    const first = await send(callback)
    expect(first).toMatchObject({ status: 302, headers: { location: '/done' } })
    const second = await send(callback)
    expect(second.status).toBe(409)
    expect(second.body).toContain('This sign-in was already received.')
    await landOnce(run, callback)
  })

  it('is refused even when both arrive at once', async () => {
    const run = startLogin(dev)
    const callback = await callbackFor(await run.authorizationUrl())
    const answers = await Promise.all([send(callback), send(callback)])
    expect(answers.map((answer) => answer.status).sort()).toEqual([302, 409])
    await landOnce(run, callback)
  })
})

describe('the final page', () => {
  it('is served once, and the receiver closes when it is never fetched', async () => {
    const run = startLogin(dev)
    const callback = await callbackFor(await run.authorizationUrl())
    expect((await send(callback)).status).toBe(302)
    // The browser never asks for /done: login() still resolves, once the grace is over.
    await expect(run.done).resolves.toBeDefined()
    await expect(send(new URL('/done', callback))).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('is not served twice', async () => {
    const run = startLogin(dev)
    const callback = await callbackFor(await run.authorizationUrl())
    await send(callback)
    const done = new URL('/done', callback)
    const answers = await Promise.allSettled([send(done), send(done)])
    const statuses = answers.map((answer) =>
      answer.status === 'fulfilled' ? answer.value.status : 'refused',
    )
    expect(statuses.filter((status) => status === 200)).toHaveLength(1)
    expect(statuses.filter((status) => status === 404 || status === 'refused')).toHaveLength(1)
    await expect(run.done).resolves.toBeDefined()
  })
})

describe('closing', () => {
  it('ends the connections that linger: an idle one and a request never finished', async () => {
    const run = startLogin(dev)
    const redirectUri = await run.redirectUri()
    const idle = await connect(redirectUri)
    const unfinished = await connect(redirectUri)
    unfinished.write(`GET /callback HTTP/1.1\r\nHost: ${redirectUri.host}\r\n`)
    const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl())
    expect(walk.landed?.status).toBe(200)
    await expect(run.done).resolves.toBeDefined()
    await Promise.all([once(idle, 'close'), once(unfinished, 'close')])
    await expectPortFree(redirectUri)
  })
})
