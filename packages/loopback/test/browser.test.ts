import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { KeywayErrorCodes } from '@keyway/core'
import {
  type DevProvider,
  launchChromium,
  requireChromium,
  startDevProvider,
} from '@keyway/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { startLogin } from './support/login.js'
import { CollectedOutput } from './support/output.js'
import { expectPortFree } from './support/ports.js'

const chromium = requireChromium('the loopback browser tests')
/** How long the child may take to exit after its login: far more than it needs. */
const EXIT_WAIT_MS = 15_000
const childScript = fileURLToPath(new URL('./fixtures/login-child.mjs', import.meta.url))

/**
 * Waits for the browser to show the receiver's page at `path`. A failure names the path the
 * browser is at, never its query: stuck on the callback, that would print the code.
 */
async function reach(page: Page, path: string): Promise<void> {
  try {
    await page.waitForURL((url) => url.pathname === path, { timeout: 10_000 })
  } catch {
    throw new Error(`The browser never reached ${path}; it is at ${new URL(page.url()).pathname}.`)
  }
}

describe.skipIf(!chromium)('a real headless Chromium', () => {
  let dev: DevProvider
  let browser: Browser

  beforeAll(async () => {
    dev = await startDevProvider()
    browser = await launchChromium(chromium)
  })
  afterAll(async () => {
    await browser?.close()
    await dev?.close()
  })

  async function newPage(): Promise<Page> {
    const context = await browser.newContext()
    onTestFinished(() => context.close())
    return context.newPage()
  }

  /** Signs in at the dev provider's page and answers its consent page. */
  async function consent(page: Page, decision: 'allow' | 'deny'): Promise<void> {
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: decision === 'allow' ? 'Allow' : 'Deny' }).click()
  }

  it('signs in, consents, lands on the success page, saves the tokens and frees the port', async () => {
    const page = await newPage()
    const run = startLogin(dev, { open: (url) => page.goto(url) })
    const redirectUri = await run.redirectUri()
    await consent(page, 'allow')
    const tokens = await run.done
    await reach(page, '/done')
    expect(await page.textContent('body')).toContain('You are signed in. You can close this tab.')
    expect(page.url()).not.toContain('code=')
    const stored = await run.store.load(run.key)
    expect(stored?.accessToken).toBe(tokens.accessToken)
    expect(stored?.refreshToken).toBeDefined()
    await expectPortFree(redirectUri)
  })

  it('ends with access_denied within a second of a denied consent and shows the error page', async () => {
    const page = await newPage()
    const run = startLogin(dev, { open: (url) => page.goto(url) }, { timeout: 60_000 })
    const redirectUri = await run.redirectUri()
    let callbackSentAt: number | undefined
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === redirectUri.pathname) callbackSentAt = Date.now()
    })
    await consent(page, 'deny')
    const error = await run.done.then(
      () => undefined,
      (failure: unknown) => failure,
    )
    // The login's own limit is a minute: ending within a second shows the denial ended it,
    // with room for a slow machine (it takes a few milliseconds).
    expect(Date.now() - (callbackSentAt ?? Number.NaN)).toBeLessThan(1_000)
    expect(error).toMatchObject({ code: KeywayErrorCodes.accessDenied, error: 'access_denied' })
    await reach(page, '/error')
    expect(await page.textContent('h1')).toBe('Sign-in failed')
    expect(await page.textContent('body')).toContain('The authorization was denied')
    await expectPortFree(redirectUri)
  })

  it('lets a child process that ran the login exit by itself', async () => {
    const child = spawn(process.execPath, [childScript], {
      env: { ...process.env, KEYWAY_TEST_ISSUER: dev.issuer },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    onTestFinished(() => {
      if (child.exitCode === null) child.kill()
    })
    const stderr = new CollectedOutput()
    const stdout = new CollectedOutput()
    child.stderr.setEncoding('utf8').on('data', (text: string) => stderr.write(text))
    child.stdout.setEncoding('utf8').on('data', (text: string) => stdout.write(text))
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
    const exitedEarly = exited.then(([code]): never => {
      throw new Error(`The child exited (${code}) before printing the URL:\n${stderr.text}`)
    })
    const page = await newPage()
    await page.goto((await Promise.race([stderr.authorizationUrl(), exitedEarly])).href)
    await consent(page, 'allow')
    await reach(page, '/done')
    expect(await page.textContent('body')).toContain('You are signed in.')
    const stillRunning = setTimeout(EXIT_WAIT_MS, 'still running', { ref: false })
    expect(await Promise.race([exited, stillRunning])).toEqual([0, null])
    expect(stdout.lines).toEqual(['signed in, with a refresh token'])
  })
})
