import { type KeywayError, KeywayErrorCodes } from '@keyway/core'
import { type DevProvider, ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Answer, send } from './support/http.js'
import { type LoginRun, startLogin } from './support/login.js'

let dev: DevProvider

beforeAll(async () => {
  dev = await startDevProvider()
})
afterAll(() => dev?.close())

/** Delivers the provider's answer like a browser: the callback, then the page it points to. */
async function deliver(callback: URL): Promise<{ redirect: Answer; page: Answer }> {
  const redirect = await send(callback)
  const location = redirect.headers.location ?? '/nowhere'
  return { redirect, page: await send(new URL(location, callback)) }
}

/** Walks the consent with the scripted person and delivers the answer. */
async function consentAndDeliver(run: LoginRun, decision: 'allow' | 'deny') {
  const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl(), {
    decision,
    followRedirect: false,
  })
  return deliver(walk.callbackUrl)
}

/** Delivers an answer of the test's own making, with this login's state. */
async function deliverForged(run: LoginRun, params: Record<string, string>) {
  const state = (await run.authorizationUrl()).searchParams.get('state') ?? ''
  const callback = new URL(`?${new URLSearchParams({ ...params, state })}`, await run.redirectUri())
  return deliver(callback)
}

function expectReceiverHeaders(answer: Answer): void {
  expect(answer.headers).toMatchObject({
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    connection: 'close',
    'x-content-type-options': 'nosniff',
  })
  expect(answer.headers['content-security-policy']).toContain("default-src 'none'")
}

function textOf(html: string): string {
  return html
    .replace(/<style>[^<]*<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

describe('the final pages', () => {
  it.each([
    {
      decision: 'allow',
      location: '/done',
      text: 'Signed in Signed in You are signed in. You can close this tab.',
      outcome: 'signed in',
    },
    {
      decision: 'deny',
      location: '/error',
      text: 'Sign-in failed Sign-in failed The authorization was denied: The person declined the request. You can close this tab and try again from the app. Error code: access_denied',
      outcome: 'access_denied: The person declined the request.',
    },
  ] as const)(
    'after "$decision": a 302 to $location, its text, the receiver headers',
    async ({ decision, location, text, outcome }) => {
      const run = startLogin(dev)
      const { redirect, page } = await consentAndDeliver(run, decision)
      expect(redirect).toMatchObject({ status: 302, headers: { location } })
      expectReceiverHeaders(redirect)
      expect(page.status).toBe(200)
      expectReceiverHeaders(page)
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(textOf(page.body)).toBe(text)
      expect(page.body).not.toMatch(/<script|\bsrc=|\bhref=/i)
      const ended = await run.done.then(
        () => 'signed in',
        (error: KeywayError) => `${error.code}: ${error.errorDescription}`,
      )
      expect(ended).toBe(outcome)
    },
  )
})

describe('provider text', () => {
  it('escapes the provider text, which the error keeps as it came', async () => {
    const run = startLogin(dev)
    const attack = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    const { page } = await deliverForged(run, {
      error: 'server_error',
      error_description: attack,
    })
    expect(page.body).not.toContain('<script>')
    expect(page.body).not.toContain('<img')
    expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
    await expect(run.done).rejects.toMatchObject({
      code: KeywayErrorCodes.providerError,
      error: 'server_error',
      errorDescription: attack,
    })
  })
})

describe("the app's own pages", () => {
  it('get escaped data when they are functions', async () => {
    const run = startLogin(dev, {
      pages: {
        error: (data) =>
          `<p id="code">${data.code}</p><p id="description">${data.errorDescription}</p>`,
      },
    })
    const { page } = await deliverForged(run, {
      error: 'temporarily_unavailable',
      error_description: 'down for <b>maintenance</b>',
    })
    expect(page.body).toBe(
      '<p id="code">provider_error</p><p id="description">down for &#60;b&#62;maintenance&#60;/b&#62;</p>',
    )
    await expect(run.done).rejects.toMatchObject({ code: KeywayErrorCodes.providerError })
  })

  it('fill {{placeholders}} when they are strings, and replace every page', async () => {
    const run = startLogin(dev, {
      pages: {
        success: '<h1>{{title}}</h1><p>{{message}}</p><p>{{unknown}}</p>',
        rejected: '<p>not yours</p>',
        duplicate: () => '<p>seen it</p>',
      },
    })
    const redirectUri = await run.redirectUri()
    expect(await send(new URL('?code=x&state=forged', redirectUri))).toMatchObject({
      status: 400,
      body: '<p>not yours</p>',
    })
    const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl(), {
      followRedirect: false,
    })
    expect((await send(walk.callbackUrl)).status).toBe(302)
    expect(await send(walk.callbackUrl)).toMatchObject({ status: 409, body: '<p>seen it</p>' })
    const page = await send(new URL('/done', walk.callbackUrl))
    expect(page.body).toBe(
      '<h1>Signed in</h1><p>You are signed in. You can close this tab.</p><p>{{unknown}}</p>',
    )
    await run.done
  })
})
