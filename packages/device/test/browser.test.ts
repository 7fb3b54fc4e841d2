import { PassThrough } from 'node:stream'
import { createKeyway, type DeviceAuthorization } from '@keyway/core'
import { device } from '@keyway/device'
import {
  type DevProvider,
  launchChromium,
  requireChromium,
  startDevProvider,
} from '@keyway/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'

const chromium = requireChromium('the device browser tests')
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code'

/** Waits for the dev provider's page marked `prompt` (each of its pages carries one). */
async function reachPrompt(page: Page, prompt: string): Promise<void> {
  try {
    await page.waitForSelector(`body[data-prompt="${prompt}"]`, { timeout: 10_000 })
  } catch {
    const shown = await page.getAttribute('body', 'data-prompt').catch(() => null)
    throw new Error(`The browser never showed the ${prompt} page; it shows ${shown ?? 'another'}.`)
  }
}

describe.skipIf(!chromium)('device() with a real headless Chromium', () => {
  let dev: DevProvider
  let browser: Browser

  beforeAll(async () => {
    dev = await startDevProvider({ deviceInterval: 200 })
    browser = await launchChromium(chromium)
  })
  afterAll(async () => {
    await browser?.close()
    await dev?.close()
  })

  it('logs in while the person types the code, confirms, signs in and allows', async () => {
    const context = await browser.newContext()
    onTestFinished(() => context.close())
    const page = await context.newPage()
    let showAuthorization: (authorization: DeviceAuthorization) => void = () => undefined
    const shown = new Promise<DeviceAuthorization>((resolve) => {
      showAuthorization = resolve
    })
    const kw = createKeyway({
      issuer: dev.issuer,
      clientId: dev.clients.native.clientId,
      scopes: ['openid', 'offline_access'],
      transport: device({ output: new PassThrough(), show: showAuthorization, timeout: 60_000 }),
    })
    onTestFinished(() => kw.stop())
    const login = kw.login()
    login.catch(() => undefined)

    const { verificationUri, userCode } = await shown
    await page.goto(verificationUri)
    await reachPrompt(page, 'device-input')
    await page.fill('input[name="user_code"]', userCode)
    await page.getByRole('button', { name: 'Continue' }).click()
    await reachPrompt(page, 'device-confirm')
    expect(await page.textContent('code')).toBe(userCode)
    await page.getByRole('button', { name: 'Continue' }).click()
    await reachPrompt(page, 'login')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await reachPrompt(page, 'consent')
    await page.getByRole('button', { name: 'Allow' }).click()
    await reachPrompt(page, 'device-done')

    await expect(login).resolves.toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    })
    expect(kw.state).toBe('authorized')
    expect(dev.counters.grants[deviceGrant]).toBe(1)
    expect(dev.counters.grantErrors[`${deviceGrant}:authorization_pending`]).toBeGreaterThan(0)
  })
})
