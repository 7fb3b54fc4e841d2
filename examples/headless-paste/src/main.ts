import { type CodeTransport, createKeyway, detectEnvironment, race } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { paste } from '@keyway/paste'
import { startDevProvider } from '@keyway/testing'

const note = (line: string) => process.stderr.write(`${line}\n`)

/**
 * The way back from the browser, for where this runs. Over SSH the browser is on the person's
 * own machine: its redirect to 127.0.0.1 lands there, not here, so they paste the address it
 * ends on. Where a browser can open, a loopback receiver catches the redirect, and paste stays
 * in the race for a browser elsewhere: whichever answers first wins.
 */
function transportForHere(): CodeTransport {
  const here = detectEnvironment()
  if (here.canOpenBrowser) return race(loopback(), paste())
  note(`No browser can open here (${here.reason}): open the address on any machine.`)
  // The redirect URI registered with the provider; RFC 8252 lets a loopback one take any port.
  return paste({ redirectUri: 'http://127.0.0.1/callback' })
}

/** Your provider from OIDC_ISSUER and OIDC_CLIENT_ID, else a local dev provider to try it. */
async function provider() {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId } = process.env
  if (issuer && clientId) return { issuer, clientId, close: async () => undefined }
  const dev = await startDevProvider()
  note(`Using a local dev provider at ${dev.issuer} (sign in with any name).`)
  return { issuer: dev.issuer, clientId: dev.clients.native.clientId, close: () => dev.close() }
}

/** The ID token's claims. Keyway has checked its signature, issuer and audience already. */
function claimsOf(idToken: string): { readonly sub: string; readonly name?: string } {
  return JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

async function main(): Promise<void> {
  const { issuer, clientId, close } = await provider()
  const kw = createKeyway({
    issuer,
    clientId,
    scopes: (process.env.OIDC_SCOPES ?? 'openid profile offline_access').split(' '),
    transport: transportForHere(),
  })
  try {
    const tokens = await kw.login({ timeout: 600_000 })
    const claims = tokens.idToken === undefined ? undefined : claimsOf(tokens.idToken)
    process.stdout.write(`Signed in as ${claims?.name ?? claims?.sub ?? 'someone'}.\n`)
  } finally {
    await kw.stop()
    await close()
  }
}

main().catch((error: unknown) => {
  note(`headless-paste: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
