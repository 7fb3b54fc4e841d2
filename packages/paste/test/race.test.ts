import { type CodeTransport, race } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { paste } from '@keyway/paste'
import { ScriptedBrowser, type ScriptedResult } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev-login.js'
import { authorizationUrlLine, fakeTerminal } from './support/terminal.js'

const provider = useDevProvider()
const keyway = (transport: CodeTransport) => provider.keyway(transport)

/** The code was redeemed once, by one token request. */
function expectOneExchange() {
  expect(provider.dev.counters.grants.authorization_code).toBe(1)
  expect(provider.dev.counters.requests.token).toBe(1)
}

/** Paste let go of its input: no listener, paused. */
function expectInputReleased(input: NodeJS.ReadableStream & { listenerCount(e: string): number }) {
  expect(input.listenerCount('data')).toBe(0)
  expect(input.isPaused()).toBe(true)
}

describe('race(loopback, paste) against the dev provider', () => {
  it('lets loopback win when the browser comes back, and stops reading the input', async () => {
    const term = fakeTerminal()
    let browser: Promise<ScriptedResult> | undefined
    const kw = keyway(
      race(
        loopback({
          output: term.output,
          open: (url) => {
            browser = new ScriptedBrowser().authorize(url)
          },
        }),
        paste({ input: term.input, output: term.output }),
      ),
    )

    await expect(kw.login()).resolves.toMatchObject({ accessToken: expect.any(String) })
    expectOneExchange()
    expectInputReleased(term.input)
    const { landed } = await browser!
    expect(landed).toMatchObject({ status: 200, url: expect.stringMatching(/\/done$/) })
    const adopted = /^(http:\/\/127\.0\.0\.1:\d+\/callback)$/m.exec(term.text)?.[1]
    expect(adopted).toBeDefined()
    expect(new URL(landed!.url).origin).toBe(new URL(adopted!).origin)
  })

  it('lets paste win when the person pastes, and closes the loopback receiver', async () => {
    const term = fakeTerminal()
    const kw = keyway(
      race(
        paste({ input: term.input, output: term.output }),
        loopback({ output: term.output, open: false }),
      ),
    )
    const login = kw.login()
    const [, url] = await term.waitFor(authorizationUrlLine)
    const { callbackUrl } = await new ScriptedBrowser().authorize(url!, { followRedirect: false })
    expect(callbackUrl.port).not.toBe('')
    term.type(callbackUrl.href)

    await expect(login).resolves.toMatchObject({ accessToken: expect.any(String) })
    expectOneExchange()
    expectInputReleased(term.input)
    await expect(fetch(new URL('/callback', callbackUrl.origin))).rejects.toThrow()
    expect(term.text.split(url!)).toHaveLength(2)
    expect(term.text).toContain(
      '\nIf the browser is on another machine, the address it ends on after you approve\n' +
        `starts with\n${callbackUrl.origin}/callback\n` +
        "and may say it can't connect: that is expected. Copy that whole address from\n" +
        "the browser's address bar and paste it here.\n\n" +
        'Paste the address (or just the code): Logged in.\n',
    )
  })

  it('redeems the code once when the browser and the paste both bring it back', async () => {
    const term = fakeTerminal()
    let browserArrived: Promise<unknown> = Promise.resolve()
    const kw = keyway(
      race(
        loopback({
          output: term.output,
          open: async (url) => {
            const scripted = new ScriptedBrowser()
            const { callbackUrl } = await scripted.authorize(url, { followRedirect: false })
            term.type(callbackUrl.href)
            browserArrived = fetch(callbackUrl).catch(() => 'closed')
          },
        }),
        paste({ input: term.input, output: term.output }),
      ),
    )

    await expect(kw.login()).resolves.toMatchObject({ accessToken: expect.any(String) })
    await browserArrived
    expectOneExchange()
    expectInputReleased(term.input)
  })

  it('ends at once when the browser brings back a denial, and stops reading the input', async () => {
    const term = fakeTerminal()
    const kw = keyway(
      race(
        loopback({
          output: term.output,
          open: (url) => new ScriptedBrowser().authorize(url, { decision: 'deny' }),
        }),
        paste({ input: term.input, output: term.output }),
      ),
    )

    await expect(kw.login()).rejects.toMatchObject({ code: 'access_denied' })
    expect(provider.dev.counters.requests.token).toBe(0)
    expectInputReleased(term.input)
  })
})
