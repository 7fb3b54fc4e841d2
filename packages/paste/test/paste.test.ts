import { KeywayError } from '@keyway/core'
import { paste } from '@keyway/paste'
import { ScriptedBrowser } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev-login.js'
import { authorizationUrlLine, fakeTerminal, standaloneIntroduction } from './support/terminal.js'

const provider = useDevProvider()

/** Starts a login by paste and waits until the authorization URL is on the screen. */
async function startLogin(options: { attempts?: number } = {}, signal?: AbortSignal) {
  const term = fakeTerminal()
  const kw = provider.keyway(paste({ input: term.input, output: term.output, ...options }))
  const login = kw.login(signal === undefined ? {} : { signal })
  login.catch(() => undefined)
  const [, url] = await term.waitFor(authorizationUrlLine)
  return { kw, term, login, url: new URL(url!) }
}

/** The address the browser ends on after the person approves (or denies) at the provider. */
async function approve(url: URL, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const { callbackUrl } = await new ScriptedBrowser().authorize(url, {
    decision,
    followRedirect: false,
  })
  return callbackUrl
}

const codeGrants = () => provider.dev.counters.grants.authorization_code ?? 0

describe('paste against the dev provider', () => {
  it('logs in with the full redirect URL, printed and read as a person would', async () => {
    const { term, login, url } = await startLogin()
    const callback = await approve(url)
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1/callback')
    term.type(callback.href)

    const tokens = await login
    expect(tokens.accessToken).toEqual(expect.any(String))
    expect(codeGrants()).toBe(1)
    expect(term.text).toBe(
      `${standaloneIntroduction(url)}Paste the address (or just the code): Logged in.\n`,
    )
  })

  it('logs in with the bare code, though the provider promises iss (RFC 9207)', async () => {
    const metadata = await (
      await fetch(`${provider.dev.issuer}/.well-known/openid-configuration`)
    ).json()
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true)
    const { term, login, url } = await startLogin()
    const code = (await approve(url)).searchParams.get('code')!
    term.type(code)

    await expect(login).resolves.toMatchObject({ accessToken: expect.any(String) })
    expect(codeGrants()).toBe(1)
  })

  it('logs in with a URL wrapped in spaces, tabs and a CR', async () => {
    const { term, login, url } = await startLogin()
    const callback = await approve(url)
    term.input.write(`  \t${callback.href} \t\r\n`)

    await expect(login).resolves.toMatchObject({ accessToken: expect.any(String) })
    expect(codeGrants()).toBe(1)
  })

  it('logs in with a URL whose query was HTML-escaped (&amp;)', async () => {
    const { term, login, url } = await startLogin()
    const callback = await approve(url)
    term.type(callback.href.replaceAll('&', '&amp;'))

    await expect(login).resolves.toMatchObject({ accessToken: expect.any(String) })
  })

  it('refuses a URL with another state, says so, and takes the right one next', async () => {
    const { term, login, url } = await startLogin()
    const callback = await approve(url)
    const stale = new URL(callback)
    stale.searchParams.set('state', 'from-an-earlier-attempt')
    term.type(stale.href)
    await term.waitFor(/another login attempt: its state does not match/)
    await term.waitFor(/Paste it again \(4 tries left\): $/)
    expect(codeGrants()).toBe(0)
    term.type(callback.href)

    await expect(login).resolves.toMatchObject({ accessToken: expect.any(String) })
    expect(codeGrants()).toBe(1)
  })

  it('ends the login with access_denied when the pasted URL says the person denied', async () => {
    const { term, login, url } = await startLogin()
    const denied = await approve(url, 'deny')
    expect(denied.searchParams.get('error')).toBe('access_denied')
    term.type(denied.href)

    const error = await login.catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(KeywayError)
    expect(error).toMatchObject({
      code: 'access_denied',
      error: 'access_denied',
      errorDescription: 'The person declined the request.',
    })
    expect(provider.dev.counters.requests.token).toBe(0)
    expect(term.text).toMatch(
      /The login failed: The authorization was denied: The person declined the request\.\n$/,
    )
  })

  it('ends the login with provider_error for another error, keeping its description', async () => {
    const { term, login, url } = await startLogin()
    const state = url.searchParams.get('state')!
    term.type(
      `http://127.0.0.1/callback?error=invalid_scope&error_description=No+such+scope&state=${state}`,
    )

    await expect(login).rejects.toMatchObject({
      code: 'provider_error',
      error: 'invalid_scope',
      errorDescription: 'No such scope',
    })
  })

  it('says what was wrong with garbage, a cut-off URL and the wrong address, then logs in', async () => {
    const { term, login, url } = await startLogin()
    const callback = await approve(url)

    term.type('hello there')
    await term.waitFor(
      /That is neither an address nor a code\..*\nPaste it again \(4 tries left\): $/,
    )
    term.type(callback.href.slice(0, callback.href.indexOf('state=') + 12))
    await term.waitFor(/That address looks cut off\..*\nPaste it again \(3 tries left\): $/)
    term.type(url.href)
    await term.waitFor(/That is the address to open, not the one to paste\./)
    await term.waitFor(/Paste it again \(2 tries left\): $/)
    term.type('')
    await term.waitFor(/Paste it again \(2 tries left\): Paste it again \(2 tries left\): $/)
    term.type(callback.href)

    await expect(login).resolves.toMatchObject({ accessToken: expect.any(String) })
    expect(codeGrants()).toBe(1)
    expect(provider.dev.counters.grantErrors).toEqual({})
  })

  it('gives up after the allowed number of unusable answers', async () => {
    const { term, login } = await startLogin({ attempts: 2 })
    term.type('http://127.0.0.1/callback')
    term.type('???')

    await expect(login).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringMatching(/^No usable address or code after 2 tries\. That is neither/),
    })
    expect(provider.dev.counters.requests.token).toBe(0)
  })

  it('fails with aborted when the input ends, and never holds the input after', async () => {
    const { term, login } = await startLogin()
    term.input.end()

    await expect(login).rejects.toMatchObject({
      code: 'aborted',
      message: 'The input ended before an address or a code was pasted.',
    })
    expect(term.text).toMatch(
      /Paste the address \(or just the code\): \nThe login failed: The input ended/,
    )
  })

  it('reads the input only while a login waits for it', async () => {
    const { term, login, url } = await startLogin()
    term.type((await approve(url)).href)
    await login

    expect(term.input.listenerCount('data')).toBe(0)
    expect(term.input.listenerCount('end')).toBe(0)
    expect(term.input.isPaused()).toBe(true)
    term.type('typed for someone else')
    expect(term.input.read()?.toString()).toBe('typed for someone else\n')
  })

  it('stops reading when the login is cancelled', async () => {
    const cancelled = new AbortController()
    const { term, login } = await startLogin({}, cancelled.signal)
    cancelled.abort()

    await expect(login).rejects.toMatchObject({ code: 'aborted' })
    expect(term.input.listenerCount('data')).toBe(0)
    expect(term.input.isPaused()).toBe(true)
    expect(term.text).toMatch(/Paste the address \(or just the code\): \n/)
  })
})
