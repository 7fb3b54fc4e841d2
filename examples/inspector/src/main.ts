import { createKeyway } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { chooseInspector } from './inspectors.js'

/** Resolves on Ctrl-C, holding the process (and the page it serves) up until then. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const hold = setInterval(() => {}, 60_000)
    process.once('SIGINT', () => {
      clearInterval(hold)
      resolve()
    })
  })
}

/** A login, a refresh and a logout against a local dev provider, every step inspected. */
async function main(): Promise<void> {
  const attended = process.stdin.isTTY === true
  const mode = process.env.KEYWAY_INSPECT
  const inspector = await chooseInspector(mode, attended)
  if (inspector === undefined) {
    process.exitCode = 1
    return
  }
  const dev = await startDevProvider()
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    // With a person at the terminal the browser opens (sign in with any name, then Allow);
    // unattended, a scripted person does the same over HTTP.
    transport: loopback({
      open: attended ? true : (url) => new ScriptedBrowser().authorize(url),
    }),
    // The machine starts at once, so the inspector sees it from its first state.
    inspect: inspector.inspect,
  })
  try {
    await inspector.ready()
    await kw.login({ timeout: 300_000 })
    await kw.getTokens({ forceRefresh: true })
    await kw.logout()
    // The inspectors hand events on in a later turn of the event loop: let the last ones out.
    await new Promise((resolve) => setTimeout(resolve, 10))
    if (attended && inspector.afterwards !== '') {
      process.stderr.write(`Done: ${inspector.afterwards}.\n`)
      await untilInterrupted()
    }
  } finally {
    await kw.stop()
    await inspector.stop()
    await dev.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`inspector: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
