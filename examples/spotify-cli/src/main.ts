import {
  createKeyway,
  type Keyway,
  KeywayError,
  KeywayErrorCodes,
  type TokenSet,
} from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { spotify } from '@keyway/providers'
import { fileStore } from '@keyway/store-file'
import { readConfig } from './config.js'
import { describePlaylist, listPlaylists } from './web-api.js'

/** Results go to stdout; what happens on the way goes to stderr, as the loopback's URL does. */
const print = (line: string) => process.stdout.write(`${line}\n`)
const note = (line: string) => process.stderr.write(`${line}\n`)

const minutesLeft = (tokens: TokenSet) =>
  tokens.expiresAt === undefined
    ? 'no expiry given'
    : `valid for ${Math.round((tokens.expiresAt - Date.now()) / 60_000)} min`

/**
 * A usable grant: the stored one (Keyway refreshes it if it expired), or, when there is none
 * or Spotify ended it, a login in the browser. `getTokens()` never starts a login itself.
 */
async function signIn(kw: Keyway, where: string): Promise<void> {
  try {
    const tokens = await kw.getTokens()
    note(`Signed in with the grant saved in ${where}: no login needed (${minutesLeft(tokens)}).`)
  } catch (error) {
    if (!(error instanceof KeywayError && error.code === KeywayErrorCodes.loginRequired)) {
      throw error
    }
    note('Not signed in to Spotify: opening the browser.')
    await kw.login({ timeout: 300_000 })
    note(`Signed in; the grant is saved in ${where}.`)
  }
}

const commands = ['playlists', 'refresh', 'logout']

/** `spotify-cli [playlists | refresh | logout]` */
async function main(command: string): Promise<void> {
  if (!commands.includes(command)) {
    throw new Error(`Unknown command ${command}: use ${commands.join(', ')}.`)
  }
  const config = readConfig()
  // A 0600 file in ~/.config/keyway-spotify-cli: it works the same on a laptop, over SSH and in
  // CI. For the OS keychain, see the README.
  const store = fileStore({ appName: 'keyway-spotify-cli' })
  const kw = createKeyway({
    ...spotify.options({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      scopes: 'playlist-read-private playlist-read-collaborative',
      baseUrl: config.accountsUrl,
    }),
    // Spotify compares the redirect URI exactly, port included, and refuses localhost: register
    // http://127.0.0.1:8888/callback (or your SPOTIFY_REDIRECT_PORT) in the dashboard.
    transport: loopback({ host: spotify.loopbackHost, port: config.port }),
    store,
  })
  try {
    if (command === 'logout') {
      await kw.logout()
      note(`Signed out: the grant is gone from ${store.path}.`)
      return
    }
    await signIn(kw, store.path)
    if (command === 'refresh') {
      const before = await kw.getTokens()
      const after = await kw.getTokens({ forceRefresh: true })
      const rotated = after.refreshToken !== before.refreshToken
      note(
        `Refreshed without asking you: a new access token (${minutesLeft(after)}); ` +
          (rotated
            ? 'Spotify rotated the refresh token, and the new one is saved.'
            : 'same refresh token.'),
      )
    }
    const playlists = await listPlaylists(kw, config.apiUrl)
    print(`Your playlists (${playlists.length}):`)
    for (const playlist of playlists) print(`  ${describePlaylist(playlist)}`)
  } finally {
    await kw.stop()
  }
}

main(process.argv[2] ?? 'playlists').catch((error: unknown) => {
  // Keyway's messages never hold a secret, so they can be shown as they are.
  note(`spotify-cli: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
