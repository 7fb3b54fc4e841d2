import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type CodeTransport,
  createKeyway,
  detectEnvironment,
  type KeywayState,
  race,
} from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { paste } from '@keyway/paste'
import { fileStore } from '@keyway/store-file'
import { ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { describeTokens, fingerprint } from './describe.js'

const say = (line: string) => process.stdout.write(`${line}\n`)

/**
 * Logs in against the embedded dev provider through the loopback transport. With a person at
 * the terminal the browser opens; unattended (stdin is not a terminal) a scripted browser
 * signs in and consents over HTTP, and the demo says so.
 */
/**
 * With a person at the terminal: the loopback receiver, opening the browser where one can be
 * opened here, raced with a paste prompt for a browser on another machine (over SSH).
 */
function interactiveTransport(): CodeTransport {
  const { canOpenBrowser, reason } = detectEnvironment()
  if (!canOpenBrowser) say(`  no browser will open here (${reason}): open the address yourself.`)
  return race(loopback({ open: canOpenBrowser, output: process.stdout }), paste())
}

async function main(): Promise<void> {
  const unattended = process.stdin.isTTY !== true
  const dev = await startDevProvider({ accessTokenTtl: 120_000 })
  const dir = mkdtempSync(join(tmpdir(), 'keyway-demo-'))
  const path = join(dir, 'tokens.json')
  say('Keyway demo: a real OAuth 2.0 login (PKCE, state, RFC 8252 loopback redirect)')
  say(`  provider: ${dev.issuer} (the embedded dev provider, refresh-token rotation on)`)
  say(`  store:    ${path}`)
  if (unattended) {
    say('  unattended (stdin is not a terminal): a scripted browser will sign in as "alice"')
    say('  and allow access over HTTP, as a person would in the browser.')
  } else {
    say('  sign in with any name, then choose Allow.')
  }
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'profile', 'offline_access'],
    transport: unattended
      ? loopback({ open: (url) => new ScriptedBrowser().authorize(url), output: process.stdout })
      : interactiveTransport(),
    store: fileStore({ path }),
  })
  let previous: KeywayState = kw.state
  say(`  state: ${previous}`)
  kw.subscribe((state) => {
    if (state !== previous) say(`  state: ${previous} → ${state}`)
    previous = state
  })
  try {
    const tokens = await kw.login({ timeout: 300_000 })
    const mode = (statSync(path).mode & 0o777).toString(8)
    say(`logged in: ${describeTokens(tokens)}`)
    say(`  saved to the file store before login() resolved (mode ${mode})`)
    say('refreshing with the refresh token, without asking the person again…')
    const fresh = await kw.getTokens({ forceRefresh: true })
    say(`refreshed: ${describeTokens(fresh)}`)
    say(
      `  access token ${fingerprint(tokens.accessToken)} → ${fingerprint(fresh.accessToken)}, ` +
        `refresh token rotated: ${fresh.refreshToken !== tokens.refreshToken ? 'yes' : 'no'}`,
    )
    say(kw.state)
  } finally {
    await kw.stop()
    await dev.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
