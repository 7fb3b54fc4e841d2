import type * as Oidc from 'openid-client'
import type { LoadedProtocol } from './loaded-protocol.js'
import type { ProtocolSettings } from './settings.js'

function clientAuthentication(oidc: typeof Oidc, settings: ProtocolSettings) {
  const { clientAuth, clientSecret } = settings
  if (clientAuth === 'none' || clientSecret === undefined) return oidc.None()
  return clientAuth === 'client_secret_post'
    ? oidc.ClientSecretPost(clientSecret)
    : oidc.ClientSecretBasic(clientSecret)
}

function needsInsecureRequests(settings: ProtocolSettings): boolean {
  const urls = [settings.issuer, ...Object.values(settings.endpoints ?? {})]
  return urls.some((url) => url?.protocol === 'http:')
}

/**
 * Imports openid-client and builds the client's configuration: by OIDC discovery from the
 * issuer, or from explicit endpoints for plain OAuth 2.0 providers. Plain `http://` is enabled
 * only when settings validation has already confined it to loopback hosts.
 */
export async function loadConfiguration(settings: ProtocolSettings): Promise<LoadedProtocol> {
  const oidc = await import('openid-client')
  const metadata: Partial<Oidc.ClientMetadata> = {
    token_endpoint_auth_method: settings.clientSecret === undefined ? 'none' : settings.clientAuth,
  }
  const auth = clientAuthentication(oidc, settings)
  // openid-client types its fetch with its own body type; a WHATWG fetch accepts all of them.
  const fetch = settings.fetch as Oidc.CustomFetch
  // Token, revocation and device requests get their timeout from Keyway's fetch (see
  // `protocolFetch`); discovery's own signal has to be given a length, so it gets the same.
  const discoveryTimeout = Math.max(1, Math.ceil(settings.requestTimeout / 1000))
  const insecure = needsInsecureRequests(settings)
  let config: Oidc.Configuration
  if (settings.issuer !== undefined && settings.endpoints === undefined) {
    config = await oidc.discovery(settings.issuer, settings.clientId, metadata, auth, {
      [oidc.customFetch]: fetch,
      timeout: discoveryTimeout,
      execute: insecure ? [oidc.allowInsecureRequests] : [],
    })
  } else {
    const endpoints = settings.endpoints!
    config = new oidc.Configuration(
      {
        issuer: settings.issuer?.href ?? endpoints.token.origin,
        authorization_endpoint: endpoints.authorization.href,
        token_endpoint: endpoints.token.href,
        ...(endpoints.revocation ? { revocation_endpoint: endpoints.revocation.href } : {}),
        ...(endpoints.deviceAuthorization
          ? { device_authorization_endpoint: endpoints.deviceAuthorization.href }
          : {}),
        ...(endpoints.userinfo ? { userinfo_endpoint: endpoints.userinfo.href } : {}),
      },
      settings.clientId,
      metadata,
      auth,
    )
    config[oidc.customFetch] = fetch
    if (insecure) oidc.allowInsecureRequests(config)
  }
  // 0: openid-client adds no signal of its own to later requests.
  config.timeout = 0
  return { oidc, config, settings }
}
