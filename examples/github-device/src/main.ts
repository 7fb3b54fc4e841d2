import { createKeyway, type TokenSet } from '@keyway/core'
import { device } from '@keyway/device'
import { github } from '@keyway/providers'

/** The result goes to stdout; the code to enter and the progress go to stderr. */
const print = (line: string) => process.stdout.write(`${line}\n`)
const note = (line: string) => process.stderr.write(`${line}\n`)

/** What the grant is, never a token value. */
function describe(tokens: TokenSet): string {
  const expiry =
    tokens.expiresAt === undefined
      ? 'no expiry (an OAuth App token lasts until revoked)'
      : `expires in ${Math.round((tokens.expiresAt - Date.now()) / 3_600_000)} h`
  const refresh = tokens.refreshToken === undefined ? 'no refresh token' : 'a refresh token'
  return `${expiry}, ${refresh}, scopes "${tokens.scope ?? ''}"`
}

async function main(): Promise<void> {
  const clientId = process.env.GITHUB_CLIENT_ID
  if (!clientId) throw new Error('Set GITHUB_CLIENT_ID to the client id of your GitHub app.')
  // The base URLs are there for GitHub Enterprise Server and for the test's imitation.
  const apiUrl = (process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '')
  const kw = createKeyway({
    ...github.options({
      clientId,
      scopes: process.env.GITHUB_SCOPES ?? 'read:user',
      ...(process.env.GITHUB_URL ? { baseUrl: process.env.GITHUB_URL } : {}),
    }),
    // No client secret and no redirect URI: the person enters a code on any device, so this
    // works over SSH, in a container, on a machine with no browser at all.
    transport: device(),
  })
  try {
    const tokens = await kw.login({ timeout: 15 * 60_000 })
    note(`Signed in: ${describe(tokens)}.`)
    const response = await fetch(`${apiUrl}/user`, {
      headers: {
        authorization: `Bearer ${await kw.getAccessToken()}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      },
    })
    if (!response.ok) throw new Error(`GitHub answered ${response.status} to GET /user.`)
    const user = (await response.json()) as { readonly login: string }
    print(`GitHub knows you as ${user.login}.`)
  } finally {
    await kw.stop()
  }
}

main().catch((error: unknown) => {
  note(`github-device: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
