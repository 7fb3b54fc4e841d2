import { createKeyway } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { createInspector, createSkyInspector } from '@statelyai/inspect'
import { summarizer } from './summary.js'

const say = (line: string) => process.stdout.write(`${line}\n`)

/**
 * Where the inspection events go (see the README for the choice): Stately's inspector through
 * its Sky relay, which needs the network; or, by default, printed here, as a line each or (with
 * `json`) whole, exactly as they would be sent.
 */
function chooseInspector(mode: string | undefined) {
  if (mode === 'sky') {
    // Prints the link to the live inspector once connected.
    return createSkyInspector({ onerror: (error) => say(`inspector: ${error.message}`) })
  }
  const show = mode === 'json' ? JSON.stringify : summarizer()
  return createInspector({ send: (event) => say(show(event)) })
}

/** A login, a refresh and a logout against a local dev provider, every step inspected. */
async function main(): Promise<void> {
  const unattended = process.stdin.isTTY !== true
  const mode = process.env.KEYWAY_INSPECT
  const inspector = chooseInspector(mode)
  const dev = await startDevProvider()
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    // With a person at the terminal the browser opens (sign in with any name, then Allow);
    // unattended, a scripted person does the same over HTTP.
    transport: loopback({
      open: unattended ? (url) => new ScriptedBrowser().authorize(url) : true,
    }),
    // The machine starts at once, so the inspector sees it from its first state.
    inspect: inspector.inspect,
  })
  try {
    await kw.login({ timeout: 300_000 })
    await kw.getTokens({ forceRefresh: true })
    await kw.logout()
    // The inspector hands events on in a later turn of the event loop: let the last ones out.
    await new Promise((resolve) => setTimeout(resolve, 10))
    // The relay's socket keeps the process, and the live session, open until then.
    if (mode === 'sky') say('Done: look at the session in the inspector, then press Ctrl-C.')
  } finally {
    await kw.stop()
    inspector.stop()
    await dev.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`inspector: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
