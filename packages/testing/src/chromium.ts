import type { Browser } from 'playwright-core'
import { requireProgram } from './requirements.js'

/** Where Debian's `chromium` package puts the browser. */
const debianChromium = '/usr/bin/chromium'

/**
 * The flags of a test browser: headless, no sandbox (tests may run as root), and nothing
 * that reaches the network on its own (QUIC, component updates, sync, background requests).
 */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Finds Chromium for tests that drive a real browser. When it is missing the tests are
 * skipped with a printed reason, or fail with `KEYWAY_REQUIRE_ALL=1` (see
 * {@link requireProgram}).
 *
 * @returns the browser's path, or undefined when the tests should be skipped.
 * @example
 * ```ts
 * const chromium = requireChromium('the loopback browser tests')
 * describe.skipIf(!chromium)('in a real browser', () => {
 *   let browser: Browser
 *   beforeAll(async () => { browser = await launchChromium(chromium) })
 *   afterAll(() => browser.close())
 * })
 * ```
 */
export function requireChromium(purpose = 'the browser tests'): string | undefined {
  return requireProgram('chromium', purpose, debianChromium)
}

/**
 * Launches the installed Chromium headless through playwright-core (loaded only here, and
 * never downloading a browser of its own), with a fresh temporary profile that is removed
 * when the browser closes.
 */
export async function launchChromium(executablePath = debianChromium): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath, headless: true, args: [...chromiumArgs] })
}
