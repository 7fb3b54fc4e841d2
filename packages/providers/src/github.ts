import { gitHubFetch } from './github-fetch.js'
import { checkInput, commonOptions, endpointUrl, scopeList } from './input.js'
import type { ProviderInput, ProviderPreset } from './preset.js'

const GITHUB = 'https://github.com'
const defaultScopes: readonly string[] = []

/**
 * GitHub, for OAuth Apps and GitHub Apps. No discovery: the endpoints are fixed, the device
 * authorization endpoint included. GitHub's quirks:
 * - it answers errors with HTTP 200 and an `error` field (device polling's
 *   `authorization_pending` and `slow_down` too), and form-encoded bodies unless asked for
 *   JSON: core asks for JSON and reads such a 200 as the error it is;
 * - `scope` comes back comma-separated and a dead refresh token is `bad_refresh_token`: the
 *   preset's `fetch` rewrites these to the RFC's space-separated scopes and `invalid_grant`;
 * - the browser flow needs the client secret (sent in the body); the device flow does not;
 * - only GitHub Apps with expiring user tokens get a refresh token (it rotates); an OAuth
 *   App's token has no expiry and no refresh token. There is no RFC 7009 revocation, so
 *   `logout()` only clears the store.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { device } from '@keyway/device'
 * import { github } from '@keyway/providers'
 *
 * const kw = createKeyway({
 *   ...github.options({ clientId: 'Iv1.0123456789abcdef', scopes: 'read:user' }),
 *   transport: device(),
 * })
 * ```
 */
export const github: ProviderPreset<ProviderInput> = {
  name: 'github',
  displayName: 'GitHub',
  defaultScopes,
  discovery: false,
  deviceGrant: 'supported',
  clientSecret: 'browserFlow',
  loopbackHost: '127.0.0.1',
  refusesLocalhost: false,
  gitUsername: 'x-access-token',
  registrationUrl: 'https://github.com/settings/developers',
  notes: [
    'Register http://127.0.0.1/callback as the callback URL: GitHub accepts any port on a loopback redirect URI.',
    'The device flow must be enabled in the app settings.',
    'Only GitHub Apps with expiring user tokens get refresh tokens; GitHub Apps ignore scopes.',
  ],
  options(input) {
    checkInput('github', input)
    const base = input.baseUrl ?? GITHUB
    const token = endpointUrl(base, '/login/oauth/access_token')
    return {
      ...commonOptions(input),
      ...(input.clientSecret === undefined ? {} : { clientAuth: 'client_secret_post' }),
      endpoints: {
        authorization: endpointUrl(base, '/login/oauth/authorize'),
        token,
        deviceAuthorization: endpointUrl(base, '/login/device/code'),
      },
      scopes: scopeList(input.scopes, defaultScopes),
      fetch: gitHubFetch(token, input.fetch),
    }
  },
}
