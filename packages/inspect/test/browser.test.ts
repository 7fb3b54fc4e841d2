import { keywayMachine } from '@keyway/core'
import { machineChart } from '@keyway/inspect'
import {
  type DevProvider,
  launchChromium,
  requireChromium,
  startDevProvider,
} from '@keyway/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { StreamReader } from './support/event-stream.js'
import { secretsIn, watchedKeyway } from './support/watched-login.js'

const chromium = requireChromium('the inspector page tests')

/** What the page showed, recorded in the page as it changed (no polling). */
interface Seen {
  /** Each text of the live region, in order. */
  readonly said: string[]
  /** Each set of highlighted states, in order. */
  readonly lit: string[]
}

/** Starts recording each change of the live region and of the highlighted states. */
function recordChanges(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen = { said: [] as string[], lit: [] as string[] }
    Object.assign(globalThis, { keywaySeen: seen })
    const now = document.getElementById('now')!
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) seen.said.push(node.textContent ?? '')
      }
    }).observe(now, { childList: true })
    const chart = document.getElementById('chart')!
    new MutationObserver(() => {
      const lit = [...chart.querySelectorAll('.state.active')].map((g) =>
        g.getAttribute('data-path'),
      )
      const shown = lit.join(' ')
      if (seen.lit.at(-1) !== shown) seen.lit.push(shown)
    }).observe(chart, { subtree: true, attributeFilter: ['class'] })
  })
}

async function seenUntil(page: Page, count: number): Promise<Seen> {
  await page.waitForFunction(
    (n) => (globalThis as unknown as { keywaySeen: Seen }).keywaySeen.said.length >= n,
    count,
    { timeout: 15_000 },
  )
  return page.evaluate(() => (globalThis as unknown as { keywaySeen: Seen }).keywaySeen)
}

describe.skipIf(!chromium)('the inspector page in a real headless Chromium', () => {
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

  it('loads from 127.0.0.1 only and follows a login and a forced refresh, state by state', async () => {
    const watched = watchedKeyway(dev)
    onTestFinished(() => watched.stop())
    const url = await watched.inspector.url
    const context = await browser.newContext()
    onTestFinished(() => context.close())
    const page = await context.newPage()
    const requested: string[] = []
    const received: Promise<string>[] = []
    const problems: string[] = []
    context.on('request', (request) => requested.push(request.url()))
    page.on('response', (response) => {
      if (!response.url().endsWith('/events')) received.push(response.text())
    })
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    // The stream as the page gets it, read alongside, to scan what it carried.
    const stream = new StreamReader(new URL('events', url))
    onTestFinished(() => stream.stop())

    expect(await watched.kw.ready()).toBe('idle')
    await page.goto(url.href)
    await page
      .getByRole('status')
      .filter({ hasText: /^Now: idle$/ })
      .waitFor({ timeout: 10_000 })
    await page.locator('#chart .state.active').first().waitFor({ timeout: 10_000 })
    await recordChanges(page)

    await watched.kw.login()
    await watched.kw.getTokens({ forceRefresh: true })
    const seen = await seenUntil(page, 5)

    expect(['Now: idle', ...seen.said]).toEqual([
      'Now: idle',
      'Now: authorizing',
      'Now: exchanging',
      'Now: authorized (waiting)',
      'Now: refreshing',
      'Now: authorized (waiting)',
    ])
    expect(seen.lit).toEqual([
      'authorizing',
      'exchanging',
      'authorized authorized.waiting',
      'refreshing',
      'authorized authorized.waiting',
    ])
    expect(await page.locator('#log li').first().textContent()).toMatch(
      /^done\+\d+ ms→ authorized\.waiting[\d.]+ (ms|s)$/,
    )
    // The chart was drawn from the machine: every state, nested ones inside their parent.
    // Every state of the machine is drawn, nested ones included.
    expect(await page.locator('#chart .state').count()).toBe(
      machineChart(keywayMachine().root).states.length,
    )
    expect(
      await page
        .locator('#chart text.arrow-label', { hasText: 'token.refresh [hasRefreshToken]' })
        .count(),
    ).toBe(1)

    expect(requested.length).toBeGreaterThanOrEqual(5)
    expect(requested.filter((address) => new URL(address).host !== url.host)).toEqual([])
    expect(problems).toEqual([])
    const bodies = await Promise.all(received)
    expect(secretsIn([...bodies, stream.text].join('\n'), watched.secrets)).toBe(0)
    expect(watched.secrets.length).toBeGreaterThanOrEqual(4)
    expect(watched.output.urlLines[0]).toBe(url.href)
  })
})
