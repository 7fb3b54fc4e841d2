import { resolve } from 'node:path'
import { createKeyway, memoryStore } from '@keyway/core'
import { serveInspector } from '@keyway/inspect'
import {
  launchChromium,
  requireChromium,
  scriptedTransport,
  startDevProvider,
} from '@keyway/testing'

/**
 * Makes the picture of the inspector in the docs: a login and a forced refresh against the
 * dev provider, watched in headless Chromium, saved as a PNG (default `docs/inspector.png`).
 * Run with `pnpm --filter @keyway/example-inspector run screenshot` after `pnpm build`.
 */
async function main(): Promise<void> {
  const file = resolve(process.argv[2] ?? '../../docs/inspector.png')
  const chromium = requireChromium('the screenshot')
  if (chromium === undefined) throw new Error('Chromium is needed for the screenshot.')
  const dev = await startDevProvider()
  const inspector = serveInspector({ output: { write: () => true } })
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    transport: scriptedTransport(),
    store: memoryStore(),
    inspect: inspector,
  })
  const browser = await launchChromium(chromium)
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } })
    await page.goto((await inspector.url).href)
    await page.getByRole('status').filter({ hasText: 'Now: idle' }).waitFor()
    await kw.login()
    await kw.getTokens({ forceRefresh: true })
    await page.locator('#log li').nth(6).waitFor()
    await page.locator('#chart .state.active').first().waitFor()
    await page.screenshot({ path: file })
    process.stdout.write(`${file}\n`)
  } finally {
    await browser.close()
    await kw.stop()
    await inspector.close()
    await dev.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshot: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
