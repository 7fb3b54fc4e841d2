import type { DPoPKeyJwk } from '../dpop/key.js'
import type { TokenSet } from '../tokens.js'
import { dpopOptions } from './dpop.js'
import type { LoadedProtocol } from './loaded-protocol.js'
import { withResources } from './resources.js'

/**
 * Asks the token endpoint for new tokens with the refresh token; resolves with the raw
 * response. A grant bound to a DPoP key proves possession of it; the resource indicators
 * go along when there are any. Neither costs a plain refresh anything.
 */
export function requestRefresh(loaded: LoadedProtocol, tokens: TokenSet): Promise<unknown> {
  const { oidc, config, settings } = loaded
  if (tokens.refreshToken === undefined) {
    return Promise.reject(new Error('requestRefresh needs a refresh token'))
  }
  if (tokens.dpopKey === undefined && settings.tokenResources.length === 0) {
    return oidc.refreshTokenGrant(config, tokens.refreshToken)
  }
  return refreshWithOptions(loaded, tokens.refreshToken, tokens.dpopKey)
}

async function refreshWithOptions(
  loaded: LoadedProtocol,
  refreshToken: string,
  key: DPoPKeyJwk | undefined,
): Promise<unknown> {
  const { oidc, config, settings } = loaded
  const parameters = withResources({}, settings.tokenResources)
  return oidc.refreshTokenGrant(config, refreshToken, parameters, await dpopOptions(loaded, key))
}

/**
 * Revokes what `tokens` hold (RFC 7009): the refresh token first, since revoking it ends the
 * grant, then the access token. Resolves false when the provider has no revocation endpoint.
 */
export async function revokeTokens(loaded: LoadedProtocol, tokens: TokenSet): Promise<boolean> {
  const { config } = loaded
  if (typeof config.serverMetadata().revocation_endpoint !== 'string') return false
  if (tokens.refreshToken !== undefined) {
    await revokeOne(loaded, tokens.refreshToken, 'refresh_token')
  }
  await revokeOne(loaded, tokens.accessToken, 'access_token')
  return true
}

/**
 * Revokes one token. A token the server calls `invalid_token` is one it no longer honours,
 * which is what revocation wants: RFC 7009 §2.2 has servers answer 200 for it, and some
 * (Google, once the refresh token's revocation ended the grant) answer 400 instead.
 */
async function revokeOne(loaded: LoadedProtocol, token: string, hint: string): Promise<void> {
  try {
    await loaded.oidc.tokenRevocation(loaded.config, token, { token_type_hint: hint })
  } catch (error) {
    if ((error as { error?: unknown }).error !== 'invalid_token') throw error
  }
}
