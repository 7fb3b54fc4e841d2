import { type CodeSession, KeywayError, KeywayErrorCodes } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { type DevProvider, startDevProvider } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { send } from './support/http.js'
import { startLogin } from './support/login.js'
import { CollectedOutput } from './support/output.js'
import { expectPortFree } from './support/ports.js'

let dev: DevProvider

beforeAll(async () => {
  dev = await startDevProvider()
})
afterAll(() => dev?.close())

describe('a login that ends before the browser comes back', () => {
  it('is aborted by its signal, and the port is freed', async () => {
    const controller = new AbortController()
    const run = startLogin(dev, {}, { signal: controller.signal })
    const redirectUri = await run.redirectUri()
    controller.abort()
    await expect(run.done).rejects.toMatchObject({ code: KeywayErrorCodes.aborted })
    await expectPortFree(redirectUri, true)
  })

  it("times out with login()'s timeout, and the port is freed", async () => {
    const run = startLogin(dev, {}, { timeout: 300 })
    const redirectUri = await run.redirectUri()
    await expect(run.done).rejects.toMatchObject({ code: KeywayErrorCodes.timeout })
    await expectPortFree(redirectUri, true)
  })

  it("times out with the receiver's own timeout, naming the redirect URI", async () => {
    const run = startLogin(dev, { timeout: 300 })
    const redirectUri = await run.redirectUri()
    await expect(run.done).rejects.toMatchObject({
      code: KeywayErrorCodes.timeout,
      message: `No answer reached ${redirectUri.href} within 300 ms.`,
    })
    await expectPortFree(redirectUri, true)
  })
})

describe('a session cancelled while its answer is held', () => {
  const state = 'state-of-this-attempt'

  async function heldSession(
    signal: AbortSignal,
  ): Promise<{ session: CodeSession; redirect: Promise<unknown> }> {
    const session = await loopback({ open: false, output: new CollectedOutput() }).open({ signal })
    const answer = session.receive({
      url: new URL('http://127.0.0.1:1/authorize'),
      state,
      issuer: 'http://127.0.0.1:1',
      issRequired: false,
      signal,
    })
    const redirect = send(new URL(`?code=unused&state=${state}`, session.redirectUri))
    await expect(answer).resolves.toMatchObject({ kind: 'redirect' })
    return { session, redirect }
  }

  it('sends the browser to the error page, then closes', async () => {
    const controller = new AbortController()
    const { session, redirect } = await heldSession(controller.signal)
    controller.abort()
    await expect(redirect).resolves.toMatchObject({ status: 302, headers: { location: '/error' } })
    const page = await send(new URL('/error', session.redirectUri))
    expect(page.body).toContain('The login was cancelled.')
    await session.close()
    await expectPortFree(session.redirectUri)
  })

  it('keeps the first outcome: a later finish() changes nothing', async () => {
    const controller = new AbortController()
    const { session, redirect } = await heldSession(controller.signal)
    await session.finish({ ok: true })
    controller.abort()
    await session.finish({
      ok: false,
      error: new KeywayError(KeywayErrorCodes.providerError, 'Too late to matter.'),
    })
    await expect(redirect).resolves.toMatchObject({ status: 302, headers: { location: '/done' } })
    expect((await send(new URL('/done', session.redirectUri))).status).toBe(200)
    await session.close()
    await expectPortFree(session.redirectUri)
  })
})
