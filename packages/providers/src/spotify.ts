import { checkInput, commonOptions, endpointUrl, scopeList } from './input.js'
import type { ProviderInput, ProviderPreset } from './preset.js'

const SPOTIFY_ACCOUNTS = 'https://accounts.spotify.com'
const defaultScopes: readonly string[] = []

/**
 * Spotify's Web API accounts service. No discovery: the endpoints are fixed. A public client
 * (no secret) logs in with PKCE alone; a confidential one authenticates with HTTP Basic.
 * Spotify refuses `localhost` (and any plain-`http` address that is not loopback) as a
 * redirect URI: register `http://127.0.0.1:<port>/callback` and listen on `127.0.0.1`.
 * Refresh tokens of PKCE clients rotate: each refresh returns a new one and the old one stops
 * working (core keeps the newest). Scopes are space-separated, such as
 * `playlist-read-private playlist-read-collaborative`.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 * import { spotify } from '@keyway/providers'
 *
 * const kw = createKeyway({
 *   ...spotify.options({ clientId: 'your-client-id', scopes: 'playlist-read-private' }),
 *   transport: loopback({ host: spotify.loopbackHost, port: 8888 }),
 * })
 * ```
 */
export const spotify: ProviderPreset<ProviderInput> = {
  name: 'spotify',
  displayName: 'Spotify',
  defaultScopes,
  discovery: false,
  deviceGrant: 'unsupported',
  clientSecret: 'optional',
  loopbackHost: '127.0.0.1',
  refusesLocalhost: true,
  registrationUrl: 'https://developer.spotify.com/dashboard',
  notes: [
    'Register the redirect URI with 127.0.0.1, e.g. http://127.0.0.1:8888/callback: Spotify refuses localhost.',
    'Without scopes Spotify grants access to public data only.',
  ],
  options(input) {
    checkInput('spotify', input)
    const base = input.baseUrl ?? SPOTIFY_ACCOUNTS
    return {
      ...commonOptions(input),
      ...(input.clientSecret === undefined ? {} : { clientAuth: 'client_secret_basic' }),
      endpoints: {
        authorization: endpointUrl(base, '/authorize'),
        token: endpointUrl(base, '/api/token'),
      },
      scopes: scopeList(input.scopes, defaultScopes),
    }
  },
}
