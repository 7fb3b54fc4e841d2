import type { TokenSet } from '@keyway/core'

/** A token set as the demo shows it: what it is and when it ends, never a value. */
export function describeTokens(tokens: TokenSet, now = Date.now()): string {
  const expiry =
    tokens.expiresAt === undefined
      ? 'no expiry given'
      : `expires in ${Math.round((tokens.expiresAt - now) / 1000)} s`
  return [
    `${tokens.tokenType} access token (${expiry})`,
    `scope "${tokens.scope ?? ''}"`,
    `refresh token: ${tokens.refreshToken ? 'yes' : 'no'}`,
    `ID token: ${tokens.idToken ? 'yes' : 'no'}`,
    'values redacted',
  ].join(', ')
}

/** A short fingerprint that tells two tokens apart without showing either. */
export function fingerprint(token: string): string {
  let hash = 2166136261
  for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 16777619)
  return `#${(hash >>> 0).toString(16).padStart(8, '0')}`
}
