import { configError } from '@keyway/core'
import { checkInput, commonOptions, endpointUrl, scopeList } from './input.js'
import type { ProviderInput, ProviderPreset } from './preset.js'

const GOOGLE_ISSUER = 'https://accounts.google.com'
const defaultScopes: readonly string[] = ['openid', 'email', 'profile']

/**
 * The parameters without which Google issues no refresh token: `access_type=offline` asks
 * for one, and `prompt=consent` asks again, since Google issues one only at a consent.
 */
const refreshTokenParams = { access_type: 'offline', prompt: 'consent' } as const

/**
 * Google accounts, by OpenID Connect discovery from `https://accounts.google.com`. A desktop
 * client has a client secret that is not secret (it ships with the app) but Google requires
 * it at the token endpoint, so the preset demands it and sends it in the body. Google issues
 * a refresh token only when asked with `access_type=offline` and only at a consent, so the
 * preset sends `prompt=consent` too (override either with `authorizationParams`). Google
 * does not rotate refresh tokens: a refresh answers without one, and core keeps the old one.
On `logout()` Google refuses (400 `invalid_token`) to revoke the access token that the
 * refresh token's revocation already ended; core reads that as the success it is.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 * import { google } from '@keyway/providers'
 *
 * const kw = createKeyway({
 *   ...google.options({ clientId: '1234-abc.apps.googleusercontent.com', clientSecret: 'GOCSPX-…' }),
 *   transport: loopback({ host: google.loopbackHost }),
 * })
 * ```
 */
export const google: ProviderPreset<ProviderInput> = {
  name: 'google',
  displayName: 'Google',
  defaultScopes,
  discovery: true,
  deviceGrant: 'supported',
  clientSecret: 'required',
  loopbackHost: '127.0.0.1',
  refusesLocalhost: false,
  registrationUrl: 'https://console.cloud.google.com/apis/credentials',
  notes: [
    'Create a "Desktop app" OAuth client: it takes loopback redirects on any port, and its secret is not confidential but is required.',
    'The device flow needs a "TVs and Limited Input devices" client, and allows only a few scopes.',
  ],
  options(input) {
    checkInput('google', input)
    if (input.clientSecret === undefined) {
      throw configError(
        'Google requires the client secret, even for a desktop app whose secret is not confidential: pass clientSecret.',
      )
    }
    return {
      ...commonOptions(input, refreshTokenParams),
      clientAuth: 'client_secret_post',
      issuer: endpointUrl(input.baseUrl ?? GOOGLE_ISSUER, ''),
      scopes: scopeList(input.scopes, defaultScopes),
    }
  },
}
