import type { Fetch } from '@keyway/core'
import { rewritingFetch } from './answer-rewrite.js'

/** GitHub's name for a refresh token that is expired, revoked or already used. */
const BAD_REFRESH_TOKEN = 'bad_refresh_token'

/**
 * Puts a GitHub token endpoint answer in the RFC's words, so core reads it as it reads any
 * provider's:
 * - `scope` comes comma-separated (`repo,read:user`); the RFC, and `TokenSet.scope`, separate
 *   scopes with spaces;
 * - a dead refresh token is `bad_refresh_token`; the RFC's `invalid_grant` is what tells core
 *   the grant is gone (`login_required`) rather than that the provider failed.
 *
 * Whatever else GitHub says, including an error sent with HTTP 200, is left to core. Returns
 * `undefined` for a body that needs no change.
 */
export function normalizeGitHubTokenBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const fields = body as Readonly<Record<string, unknown>>
  const { scope, error } = fields
  const commaScopes = typeof scope === 'string' && scope.includes(',')
  if (!commaScopes && error !== BAD_REFRESH_TOKEN) return undefined
  return {
    ...fields,
    ...(commaScopes
      ? {
          scope: scope
            .split(/[\s,]+/)
            .filter(Boolean)
            .join(' '),
        }
      : {}),
    ...(error === BAD_REFRESH_TOKEN ? { error: 'invalid_grant' } : {}),
  }
}

/** The app's `fetch` (or the global one) with GitHub's token endpoint answers normalized. */
export function gitHubFetch(tokenUrl: string, base: Fetch | undefined): Fetch {
  const token = new URL(tokenUrl).href
  return rewritingFetch(base, {
    matches: (url, method) => method === 'POST' && url.href === token,
    rewrite: ({ status, body }) => {
      const normalized = normalizeGitHubTokenBody(body)
      return normalized === undefined ? undefined : { status, body: normalized }
    },
  })
}
