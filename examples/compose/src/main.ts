import { memoryStore } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { type DevProvider, ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { createActor, waitFor } from 'xstate'
import { type SyncContext, type SyncSettings, syncMachine } from './sync-machine.js'
import { onMicrosteps, statePath, transitionLine } from './transitions.js'

const say = (line: string) => process.stdout.write(`${line}\n`)

/**
 * Tells each step of the app and of its Keyway child as it is taken: state changes, and the
 * app's own progress. Never a token value: the tokens in either context stay sealed.
 */
function narrator(dev: DevProvider, settings: SyncSettings, revokeAfterPage: number | undefined) {
  return onMicrosteps(['app', 'keyway'], (id, snapshot, previous) => {
    const line = transitionLine(id === 'app' ? 'app:   ' : 'keyway:', snapshot, previous)
    if (line !== undefined) say(line)
    if (id !== 'app' || previous === undefined) return
    const context = snapshot.context as SyncContext
    const before = previous.context as SyncContext
    if (context.tokensSaved > before.tokensSaved) {
      say('app:    heard keyway emit "tokens" (new tokens, saved to the store)')
    }
    if (context.staleReason !== undefined && context.staleReason !== before.staleReason) {
      const why =
        context.staleReason === 'expiring'
          ? `the access token has under ${settings.pageMinTtl / 1000} s left`
          : 'the resource refused the access token (HTTP 401)'
      say(`app:    ${why}: sending token.refresh to keyway`)
    }
    if (context.pagesDone > before.pagesDone) {
      say(`sync:   page ${context.pagesDone} of ${settings.pages} fetched for "${context.account}"`)
      if (context.pagesDone === revokeAfterPage) {
        dev.revokeAllGrants()
        say('admin:  every grant revoked at the provider')
      }
    }
  })
}

/** The protected resource: the dev provider's userinfo endpoint, from its discovery document. */
async function userinfoEndpoint(issuer: string): Promise<URL> {
  const response = await fetch(new URL('/.well-known/openid-configuration', issuer))
  const { userinfo_endpoint: endpoint } = (await response.json()) as { userinfo_endpoint?: string }
  if (endpoint === undefined) throw new Error(`${issuer} has no userinfo endpoint.`)
  return new URL(endpoint)
}

/**
 * The sync app against the embedded dev provider, whose access tokens live `TOKEN_TTL_MS`
 * (3 s by default) so that one sync needs a refresh. With a person at the terminal the browser
 * opens; unattended (stdin is not a terminal) a scripted browser signs in over HTTP.
 */
async function main(): Promise<void> {
  const unattended = process.stdin.isTTY !== true
  const tokenTtl = Number(process.env.TOKEN_TTL_MS ?? 3_000)
  const revokeAfterPage =
    process.env.REVOKE_AFTER_PAGE === undefined ? undefined : Number(process.env.REVOKE_AFTER_PAGE)
  const settings: SyncSettings = {
    pages: 4,
    pageGap: 800,
    pageMinTtl: 1_500,
    loginTimeout: Number(process.env.LOGIN_TIMEOUT_MS ?? 300_000),
    // Keyway's own timer only at expiry, so that here the app's request for a refresh comes
    // first. Leave the default (60 s) in an app: the timer then renews tokens before the app
    // ever finds one short, and the app's request is the backstop.
    refreshMargin: 0,
  }
  const dev = await startDevProvider({ accessTokenTtl: tokenTtl })
  say("Keyway compose example: an app's own xstate machine with Keyway's machine as its child")
  say(`  provider: ${dev.issuer} (the embedded dev provider; access tokens live ${tokenTtl} ms)`)
  if (unattended)
    say('  unattended (stdin is not a terminal): a scripted browser signs in as "alice"')
  const machine = syncMachine({
    keyway: {
      issuer: dev.issuer,
      clientId: dev.clients.native.clientId,
      scopes: ['openid', 'offline_access'],
      transport: loopback({
        open: unattended ? (url) => new ScriptedBrowser().authorize(url) : true,
        output: process.stdout,
      }),
      store: memoryStore(),
    },
    resource: await userinfoEndpoint(dev.issuer),
  })
  const app = createActor(machine, {
    id: 'app',
    input: settings,
    inspect: narrator(dev, settings, revokeAfterPage),
  })
  try {
    app.start()
    const end = await waitFor(app, (snapshot) => snapshot.status === 'done')
    const { context } = end
    if (end.value === 'done') {
      say(`sync:   ${context.pagesDone} pages synced for "${context.account}"`)
    } else {
      const code = (context.failure as { code?: string } | undefined)?.code
      say(`sync:   failed: ${code === undefined ? '' : `${code}: `}${context.failure?.message}`)
      process.exitCode = 1
    }
    const { grants, requests } = dev.counters
    say(
      `provider: ${grants.authorization_code ?? 0} login, ${grants.refresh_token ?? 0} refresh, ` +
        `${requests.userinfo} userinfo requests`,
    )
    say(statePath(end.value))
  } finally {
    app.stop()
    await dev.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`compose: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
