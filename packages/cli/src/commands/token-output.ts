import type { AuthorizationHeaders, TokenSet } from '@keyway/core'
import { shellWord } from '../ui/shell.js'
import { isoSeconds } from '../ui/time.js'

/** How `keyway token` prints the token. */
export type TokenFormat = 'plain' | 'header' | 'env' | 'json'

/** The token type as HTTP spells it: providers that answer `bearer` mean `Bearer`. */
export function headerTokenType(tokenType: string): string {
  return tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType
}

/** The granted scopes: the token's own, or (when the provider did not echo them) those asked. */
export function grantedScopes(tokens: TokenSet, asked: readonly string[]): readonly string[] {
  return tokens.scope === undefined ? asked : tokens.scope.split(' ').filter((s) => s !== '')
}

/**
 * The headers of a DPoP-bound token as `keyway token --header --url …` prints them: the
 * `Authorization` line and the `DPoP` proof line, for `curl -H` or a config file.
 */
export function formatDPoPHeaders(headers: AuthorizationHeaders): string {
  const lines = [`Authorization: ${headers.authorization}`]
  if (headers.dpop !== undefined) lines.push(`DPoP: ${headers.dpop}`)
  return `${lines.join('\n')}\n`
}

/**
 * The token as `keyway token` prints it on stdout:
 * - `plain`: the access token alone;
 * - `header`: `Authorization: Bearer …`;
 * - `env`: `export` lines for a POSIX shell (`eval "$(keyway token --env)"`);
 * - `json`: the token, its type, expiry and scopes.
 */
export function formatToken(
  format: TokenFormat,
  tokens: TokenSet,
  asked: readonly string[],
  now: number,
): string {
  const type = headerTokenType(tokens.tokenType)
  const scopes = grantedScopes(tokens, asked)
  switch (format) {
    case 'plain':
      return `${tokens.accessToken}\n`
    case 'header':
      return `Authorization: ${type} ${tokens.accessToken}\n`
    case 'env': {
      const lines = [
        `export KEYWAY_ACCESS_TOKEN=${shellWord(tokens.accessToken)}`,
        `export KEYWAY_TOKEN_TYPE=${shellWord(type)}`,
        `export KEYWAY_TOKEN_SCOPES=${shellWord(scopes.join(' '))}`,
      ]
      if (tokens.expiresAt !== undefined) {
        lines.push(`export KEYWAY_TOKEN_EXPIRES_AT=${isoSeconds(tokens.expiresAt)}`)
      }
      return `${lines.join('\n')}\n`
    }
    case 'json':
      return `${JSON.stringify({
        accessToken: tokens.accessToken,
        tokenType: type,
        expiresAt: tokens.expiresAt === undefined ? null : isoSeconds(tokens.expiresAt),
        expiresIn:
          tokens.expiresAt === undefined
            ? null
            : Math.max(0, Math.floor((tokens.expiresAt - now) / 1000)),
        scopes,
      })}\n`
  }
}

/**
 * The ID token as `keyway token --id-token` prints it on stdout: alone, or as
 * `Authorization: Bearer …` (the way Kubernetes and other OIDC consumers take it).
 */
export function formatIdToken(format: 'plain' | 'header', idToken: string): string {
  return format === 'header' ? `Authorization: Bearer ${idToken}\n` : `${idToken}\n`
}
