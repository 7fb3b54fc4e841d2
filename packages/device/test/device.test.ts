import { PassThrough } from 'node:stream'
import {
  createKeyway,
  type DeviceAuthorization,
  type Keyway,
  type KeywayError,
  type KeywayOptions,
} from '@keyway/core'
import { device } from '@keyway/device'
import {
  type DevProvider,
  type DevProviderOptions,
  devClients,
  introspectToken,
  jwkThumbprint,
  ScriptedBrowser,
  startDevProvider,
} from '@keyway/testing'
import { afterEach, describe, expect, it } from 'vitest'

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code'
const started: { dev: DevProvider; kw: Keyway }[] = []

afterEach(async () => {
  for (const { dev, kw } of started.splice(0)) {
    kw.stop()
    await dev.close()
  }
})

/** Collects what the transport shows, and resolves once the instructions are all there. */
function screen() {
  const output = new PassThrough()
  let text = ''
  const shown = new Promise<string>((resolve) => {
    output.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      if (text.includes('Waiting for approval')) resolve(text)
    })
  })
  return { output, shown, text: () => text }
}

/** Starts a device login against a fresh dev provider and waits for the instructions. */
async function startLogin(
  providerOptions: DevProviderOptions = {},
  transportOptions: { timeout?: number; signal?: AbortSignal } = {},
  keywayOptions: Partial<KeywayOptions> = {},
) {
  const dev = await startDevProvider({ deviceInterval: 50, ...providerOptions })
  const display = screen()
  const { signal, ...deviceOptions } = transportOptions
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    transport: device({ output: display.output, ...deviceOptions }),
    ...keywayOptions,
  })
  started.push({ dev, kw })
  const login = kw.login(signal === undefined ? {} : { signal })
  login.catch(() => undefined)
  const text = await Promise.race([display.shown, login.then(() => display.text())])
  const complete = /which carries the code:\n\n(\S+)\n/.exec(text)?.[1]
  const bare = /open this address in a browser, on this machine or any other:\n\n(\S+)\n/.exec(
    text,
  )?.[1]
  const userCode = /and enter this code: (\S+)\n/.exec(text)?.[1]
  return { dev, kw, login, display, text, complete: complete!, bare: bare!, userCode: userCode! }
}

describe('device() against the dev provider', () => {
  it('shows the address and the code, and logs in once the person approves', async () => {
    const { dev, login, display, text, complete, bare, userCode } = await startLogin()
    expect(text).toBe(
      '\nTo log in, open this address in a browser, on this machine or any other:\n\n' +
        `${dev.issuer}/device\n\n` +
        `and enter this code: ${userCode}\n\n` +
        'Or open this address, which carries the code:\n\n' +
        `${dev.issuer}/device?user_code=${userCode}\n\n` +
        'Waiting for approval (the code expires in 10 minutes)...\n',
    )
    expect(userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/)
    expect(bare).toBe(`${dev.issuer}/device`)

    const confirmed = await new ScriptedBrowser().confirmDevice(complete)
    expect(confirmed.approved).toBe(true)
    const tokens = await login
    expect(tokens).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    })
    expect(dev.counters.grants[deviceGrant]).toBe(1)
    expect(display.text()).toMatch(/\.\.\.\nApproved\.\n$/)
  })

  it('binds the grant to a DPoP key with dpop: true, for a client that requires it', async () => {
    const { dev, login, complete } = await startLogin(
      {},
      {},
      {
        clientId: devClients.dpop.clientId,
        dpop: true,
      },
    )
    expect((await new ScriptedBrowser().confirmDevice(complete)).approved).toBe(true)
    const tokens = await login
    expect(tokens.tokenType).toBe('DPoP')
    const token = await introspectToken(dev, tokens.accessToken)
    expect(token.cnf?.jkt).toBe(jwkThumbprint(tokens.dpopKey!))
  })

  it('logs in when the person types the code at the bare verification address', async () => {
    const { dev, login, bare, userCode } = await startLogin()
    const confirmed = await new ScriptedBrowser().confirmDevice(bare, { userCode })
    expect(confirmed.approved).toBe(true)
    await expect(login).resolves.toMatchObject({ accessToken: expect.any(String) })
    expect(dev.counters.grants[deviceGrant]).toBe(1)
  })

  it('ends with access_denied when the person denies the device', async () => {
    const { dev, login, display, complete } = await startLogin()
    const confirmed = await new ScriptedBrowser().confirmDevice(complete, { decision: 'deny' })
    expect(confirmed.approved).toBe(false)

    const error = (await login.catch((failure: unknown) => failure)) as KeywayError
    expect(error).toMatchObject({ code: 'access_denied', error: 'access_denied' })
    expect(dev.counters.grants[deviceGrant]).toBeUndefined()
    expect(display.text()).toMatch(/\nThe login failed: .*access_denied.*\n$/)
  })

  it('ends with timeout when the code expires before anyone approves', async () => {
    const { dev, login, text } = await startLogin({ deviceCodeTtl: 1000 })
    expect(text).toMatch(/the code expires in 1 second\)/)

    await expect(login).rejects.toMatchObject({ code: 'timeout' })
    expect(dev.counters.grants[deviceGrant]).toBeUndefined()
  })

  it('gives up with timeout after its own timeout', async () => {
    const { login } = await startLogin({}, { timeout: 300 })
    await expect(login).rejects.toMatchObject({
      code: 'timeout',
      message: 'Nobody approved the device within 300 ms.',
    })
  })

  it('stops polling when the login is cancelled', async () => {
    const cancel = new AbortController()
    const { dev, login } = await startLogin({}, { signal: cancel.signal })
    cancel.abort()
    await expect(login).rejects.toMatchObject({ code: 'aborted' })
    const polls = dev.counters.requests.token
    const second = await fetch(`${dev.issuer}/.well-known/openid-configuration`)
    await second.body?.cancel()
    expect(dev.counters.requests.token).toBe(polls)
  })
})

describe('device() with show', () => {
  it('hands the authorization to the app and writes nothing itself', async () => {
    const dev = await startDevProvider({ deviceInterval: 50 })
    const output = new PassThrough()
    let written = ''
    output.on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8')
    })
    const shown: DeviceAuthorization[] = []
    let approved: Promise<unknown> = Promise.resolve()
    const kw = createKeyway({
      issuer: dev.issuer,
      clientId: dev.clients.native.clientId,
      scopes: ['openid'],
      transport: device({
        output,
        show: (authorization) => {
          shown.push(authorization)
          approved = new ScriptedBrowser().confirmDevice(authorization.verificationUriComplete!)
        },
      }),
    })
    started.push({ dev, kw })

    await expect(kw.login()).resolves.toMatchObject({ accessToken: expect.any(String) })
    await expect(approved).resolves.toMatchObject({ approved: true })
    expect(shown).toEqual([
      expect.objectContaining({
        userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
        verificationUri: `${dev.issuer}/device`,
        interval: 50,
      }),
    ])
    expect(written).toBe('')
  })
})

describe('device() options', () => {
  it.each([
    ['a zero timeout', { timeout: 0 }],
    ['an infinite timeout', { timeout: Number.POSITIVE_INFINITY }],
    ['a show that is not a function', { show: 'qr' as never }],
  ])('refuses %s as a config error', (_, options) => {
    expect(() => device(options)).toThrow(expect.objectContaining({ code: 'config_error' }))
  })
})
