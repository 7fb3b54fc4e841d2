import { type CodeSession, KeywayErrorCodes } from '@keyway/core'
import { type LoopbackOptions, loopback } from '@keyway/loopback'
import { type DevProvider, ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { send } from './support/http.js'
import { startLogin } from './support/login.js'
import { expectPortFree, freePortRange, hasIpv6Loopback, occupyPort } from './support/ports.js'

/** Opens a receiver as core does at the start of a login, and closes it after the test. */
async function openReceiver(options: LoopbackOptions = {}): Promise<CodeSession> {
  const session = await loopback({ open: false, ...options }).open({
    signal: new AbortController().signal,
  })
  onTestFinished(() => session.close())
  return session
}

/** True when something answers HTTP at `origin` (any status: the receiver says 404). */
async function answers(origin: string): Promise<boolean> {
  return send(new URL('/favicon.ico', origin)).then(
    (answer) => answer.status === 404,
    () => false,
  )
}

const ipv6 = await hasIpv6Loopback()
if (!ipv6) process.stderr.write('skipped: this machine has no IPv6 loopback ([::1]).\n')

describe('where the receiver listens', () => {
  it('binds 127.0.0.1 on a free port with /callback by default, and frees it on close', async () => {
    const session = await openReceiver()
    const uri = new URL(session.redirectUri)
    expect(uri.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(uri.pathname).toBe('/callback')
    expect(Number(uri.port)).toBeGreaterThan(0)
    expect(await answers(uri.origin)).toBe(true)
    await session.close()
    await expectPortFree(uri)
  })

  it('uses the path it is given', async () => {
    const session = await openReceiver({ path: '/oauth/return' })
    expect(new URL(session.redirectUri).pathname).toBe('/oauth/return')
  })

  it('binds a fixed port when it is free', async () => {
    const [port] = await freePortRange(1)
    const session = await openReceiver({ port })
    expect(session.redirectUri).toBe(`http://127.0.0.1:${port}/callback`)
  })

  it('fails with port_in_use, the port and a hint when a fixed port is taken', async () => {
    const port = await occupyPort('127.0.0.1')
    const failure = loopback({ port }).open({ signal: new AbortController().signal })
    await expect(failure).rejects.toMatchObject({ code: KeywayErrorCodes.portInUse })
    await expect(failure).rejects.toThrow(`Port ${port} on 127.0.0.1 is in use`)
    await expect(failure).rejects.toThrow('port: 0 picks a free one')
  })

  it('takes the first free port of a range', async () => {
    const [first, second, third] = await freePortRange(3)
    await occupyPort('127.0.0.1', first)
    const session = await openReceiver({ port: { from: first!, to: third! } })
    expect(new URL(session.redirectUri).port).toBe(String(second))
  })

  it('fails with port_in_use naming the range when every port of it is taken', async () => {
    const [first, second] = await freePortRange(2)
    await occupyPort('127.0.0.1', first)
    await occupyPort('127.0.0.1', second)
    await expect(
      loopback({ port: { from: first!, to: second! } }).open({
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({
      code: KeywayErrorCodes.portInUse,
      message: expect.stringContaining(
        `Every port from ${first} to ${second} is in use on 127.0.0.1`,
      ),
    })
  })

  it('binds nothing when the login was cancelled before it opened', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(loopback().open({ signal: controller.signal })).rejects.toMatchObject({
      code: KeywayErrorCodes.aborted,
    })
  })
})

describe.skipIf(!ipv6)('on the IPv6 loopback', () => {
  let dev: DevProvider
  beforeAll(async () => {
    dev = await startDevProvider()
  })
  afterAll(() => dev?.close())

  it('logs in through [::1] with a redirect URI that names it', async () => {
    const run = startLogin(dev, { host: '[::1]' })
    const redirectUri = await run.redirectUri()
    expect(redirectUri.origin).toMatch(/^http:\/\/\[::1\]:\d+$/)
    const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl())
    expect(walk.landed?.body).toContain('You are signed in.')
    await expect(run.done).resolves.toBeDefined()
    await expectPortFree(redirectUri)
  })

  it('serves localhost on both families with one port, and logs in through it', async () => {
    const run = startLogin(dev, { host: 'localhost' })
    const redirectUri = await run.redirectUri()
    expect(redirectUri.origin).toMatch(/^http:\/\/localhost:\d+$/)
    expect(await answers(`http://127.0.0.1:${redirectUri.port}`)).toBe(true)
    expect(await answers(`http://[::1]:${redirectUri.port}`)).toBe(true)
    const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl())
    expect(walk.landed?.body).toContain('You are signed in.')
    await expect(run.done).resolves.toBeDefined()
    await expectPortFree(`http://127.0.0.1:${redirectUri.port}`)
    await expectPortFree(`http://[::1]:${redirectUri.port}`)
  })

  it('fails clearly for localhost when its port is taken on [::1] only', async () => {
    const [port] = await freePortRange(1)
    await occupyPort('::1', port)
    await expect(
      loopback({ host: 'localhost', port }).open({ signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      code: KeywayErrorCodes.portInUse,
      message: expect.stringContaining(
        `Port ${port} on [::1] is in use by another program (localhost needs it on 127.0.0.1 and [::1])`,
      ),
    })
    await expectPortFree(`http://127.0.0.1:${port}`)
  })
})

describe('options', () => {
  it.each([
    [{ host: '0.0.0.0' }, "loopback host must be '127.0.0.1', '[::1]' or 'localhost'"],
    [{ host: 'example.com' }, "loopback host must be '127.0.0.1', '[::1]' or 'localhost'"],
    [{ port: 70_000 }, 'loopback port must be an integer'],
    [{ port: 1.5 }, 'loopback port must be an integer'],
    [{ port: { from: 9000, to: 8000 } }, 'loopback port range must be'],
    [{ path: 'callback' }, 'loopback path must be a plain absolute path'],
    [{ path: '/callback?x=1' }, 'loopback path must be a plain absolute path'],
    [{ path: '/a/../b' }, 'loopback path must be a plain absolute path'],
    [{ path: '/done' }, 'the receiver shows its final pages there'],
    [{ timeout: 0 }, 'loopback timeout must be a positive number'],
    [{ open: 'yes' }, 'loopback open must be true, false, or a function'],
  ])('refuses %o with a config_error when the transport is made', (options, message) => {
    expect(() => loopback(options as LoopbackOptions)).toThrow(
      expect.objectContaining({
        code: KeywayErrorCodes.configError,
        message: expect.stringContaining(message),
      }),
    )
  })
})
