import type { TokenSet } from '../tokens.js'
import type { LoadedProtocol } from './client.js'

/** Asks the token endpoint for new tokens with the refresh token; resolves with the raw response. */
export function requestRefresh(loaded: LoadedProtocol, tokens: TokenSet): Promise<unknown> {
  const { oidc, config } = loaded
  if (tokens.refreshToken === undefined) {
    return Promise.reject(new Error('requestRefresh needs a refresh token'))
  }
  return oidc.refreshTokenGrant(config, tokens.refreshToken)
}

/**
 * Revokes what `tokens` hold (RFC 7009): the refresh token first, since revoking it ends the
 * grant, then the access token. Resolves false when the provider has no revocation endpoint.
 */
export async function revokeTokens(loaded: LoadedProtocol, tokens: TokenSet): Promise<boolean> {
  const { oidc, config } = loaded
  if (typeof config.serverMetadata().revocation_endpoint !== 'string') return false
  if (tokens.refreshToken !== undefined) {
    await oidc.tokenRevocation(config, tokens.refreshToken, { token_type_hint: 'refresh_token' })
  }
  await oidc.tokenRevocation(config, tokens.accessToken, { token_type_hint: 'access_token' })
  return true
}
