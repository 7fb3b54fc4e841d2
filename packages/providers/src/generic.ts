import { configError } from '@keyway/core'
import { checkInput, commonOptions, scopeList } from './input.js'
import type { GenericInput, ProviderPreset } from './preset.js'

const defaultScopes: readonly string[] = ['openid', 'offline_access']

/**
 * Any OpenID Connect provider, by discovery from its issuer, or any OAuth 2.0 server from
 * explicit endpoints. It adds no quirks: the options are core's own, checked. With explicit
 * endpoints and no issuer, no scopes are asked for unless the app names them (`openid` would
 * demand an ID token a plain OAuth 2.0 server does not issue).
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 * import { generic } from '@keyway/providers'
 *
 * const kw = createKeyway({
 *   ...generic.options({ issuer: 'https://id.example.com', clientId: 'my-cli' }),
 *   transport: loopback(),
 * })
 * ```
 */
export const generic: ProviderPreset<GenericInput> = {
  name: 'generic',
  displayName: 'OpenID Connect',
  defaultScopes,
  discovery: true,
  deviceGrant: 'whenAdvertised',
  clientSecret: 'optional',
  loopbackHost: '127.0.0.1',
  refusesLocalhost: false,
  gitUsername: 'oauth2',
  resourceParameter: 'resource',
  notes: [
    'Give the issuer for discovery, or the authorization and token endpoints of a server without it.',
    'The device grant works when the provider advertises a device authorization endpoint.',
  ],
  options(input) {
    checkInput('generic', input, ['baseUrl'])
    const { issuer, endpoints, clientAuth, resource, resourceParameter } = input
    if (issuer === undefined && endpoints === undefined) {
      throw configError('The generic preset needs an issuer (for discovery) or endpoints.')
    }
    return {
      ...commonOptions(input),
      ...(issuer === undefined ? {} : { issuer }),
      ...(endpoints === undefined ? {} : { endpoints }),
      ...(clientAuth === undefined ? {} : { clientAuth }),
      ...(resource === undefined ? {} : { resource }),
      ...(resourceParameter === undefined ? {} : { resourceParameter }),
      scopes: scopeList(input.scopes, issuer === undefined ? [] : defaultScopes),
    }
  },
}
