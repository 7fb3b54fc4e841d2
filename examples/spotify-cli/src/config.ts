/** What the program needs to know, read from the environment. */
export interface Config {
  readonly clientId: string
  /** Only for an app registered as confidential; PKCE alone is the better choice for a CLI. */
  readonly clientSecret: string | undefined
  /** The port of the redirect URI registered in Spotify's dashboard. */
  readonly port: number
  /** Spotify's accounts service, or an imitation of it. */
  readonly accountsUrl: string
  /** Spotify's Web API, or an imitation of it. */
  readonly apiUrl: string
}

/**
 * Reads the configuration from `SPOTIFY_*` variables. The base URLs are there so the program
 * can run against a local imitation of Spotify: its test does that.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clientId = env.SPOTIFY_CLIENT_ID
  if (!clientId) {
    throw new Error(
      'Set SPOTIFY_CLIENT_ID to the client id of your app at https://developer.spotify.com/dashboard.',
    )
  }
  const port = Number(env.SPOTIFY_REDIRECT_PORT ?? 8888)
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(
      'SPOTIFY_REDIRECT_PORT must be a port number, as in the registered redirect URI.',
    )
  }
  return {
    clientId,
    clientSecret: env.SPOTIFY_CLIENT_SECRET || undefined,
    port,
    accountsUrl: env.SPOTIFY_ACCOUNTS_URL ?? 'https://accounts.spotify.com',
    apiUrl: (env.SPOTIFY_API_URL ?? 'https://api.spotify.com').replace(/\/+$/, ''),
  }
}
