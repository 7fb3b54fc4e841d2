import { configError } from '@keyway/core'
import { checkInput, commonOptions, endpointUrl, scopeList } from './input.js'
import type { MicrosoftInput, ProviderPreset } from './preset.js'

const ENTRA_AUTHORITY = 'https://login.microsoftonline.com'
const OFFLINE_ACCESS = 'offline_access'
const defaultScopes: readonly string[] = ['openid', 'profile', OFFLINE_ACCESS]

/** A tenant id (a GUID), a verified domain name, or one of Entra's multi-tenant names. */
function checkTenant(tenant: unknown): string {
  if (tenant === undefined) return 'common'
  if (typeof tenant !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(tenant)) {
    throw configError(
      'tenant must be a tenant id, a domain name such as contoso.onmicrosoft.com, or common, organizations or consumers.',
    )
  }
  return tenant
}

/**
 * Microsoft Entra ID (the v2.0 endpoints), by OpenID Connect discovery from the issuer
 * `https://login.microsoftonline.com/{tenant}/v2.0`. The tenant is part of the issuer; the
 * multi-tenant ones (`common`, `organizations`, `consumers`) publish the issuer
 * `…/{tenantid}/v2.0` and sign ID tokens with the person's own tenant, which openid-client
 * accepts for Entra's own host, checking the ID token's `iss` against its `tid`. Entra issues
 * a refresh token only for the `offline_access` scope: the preset always asks for it.
 * Refresh tokens rotate. A confidential client sends its secret in the body.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 * import { microsoft } from '@keyway/providers'
 *
 * const kw = createKeyway({
 *   ...microsoft.options({
 *     clientId: '00000000-0000-0000-0000-000000000000',
 *     tenant: 'organizations',
 *     scopes: ['openid', 'https://graph.microsoft.com/User.Read'],
 *   }),
 *   transport: loopback({ host: microsoft.loopbackHost }),
 * })
 * ```
 */
export const microsoft: ProviderPreset<MicrosoftInput> = {
  name: 'microsoft',
  displayName: 'Microsoft Entra ID',
  defaultScopes,
  discovery: true,
  deviceGrant: 'supported',
  clientSecret: 'optional',
  loopbackHost: '127.0.0.1',
  refusesLocalhost: false,
  registrationUrl: 'https://entra.microsoft.com/',
  notes: [
    'Register a "Mobile and desktop applications" redirect URI on the loopback host: Entra matches it on any port.',
    'The device grant needs "Allow public client flows" in the app registration.',
    'offline_access is always asked for: without it Entra issues no refresh token.',
  ],
  options(input) {
    checkInput('microsoft', input)
    const tenant = checkTenant(input.tenant)
    const scopes = scopeList(input.scopes, defaultScopes)
    return {
      ...commonOptions(input),
      ...(input.clientSecret === undefined ? {} : { clientAuth: 'client_secret_post' }),
      issuer: endpointUrl(input.baseUrl ?? ENTRA_AUTHORITY, `/${tenant}/v2.0`),
      scopes: scopes.includes(OFFLINE_ACCESS) ? scopes : [...scopes, OFFLINE_ACCESS],
    }
  },
}
