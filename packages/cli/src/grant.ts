import { isAccessTokenFresh, type TokenSet } from '@keyway/core'

/** The claims of an ID token that say who is logged in. */
export interface Identity {
  readonly subject?: string
  readonly name?: string
  readonly email?: string
  readonly username?: string
}

/**
 * Who the ID token names, read from its payload without checking its signature: Keyway
 * checked it when the token was issued, and this is only for showing. The token itself is
 * never shown. Empty when there is no ID token or it cannot be read.
 */
export function identityOf(tokens: TokenSet | undefined): Identity {
  const payload = tokens?.idToken?.split('.')[1]
  if (payload === undefined) return {}
  let claims: Record<string, unknown>
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return {}
  }
  const text = (name: string) => (typeof claims[name] === 'string' ? claims[name] : undefined)
  const found = {
    subject: text('sub'),
    name: text('name'),
    email: text('email'),
    username: text('preferred_username'),
  }
  return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined))
}

/** `alice <alice@example.test>`, or the best the ID token offers; undefined without one. */
export function describeIdentity(identity: Identity): string | undefined {
  const who = identity.username ?? identity.name ?? identity.email ?? identity.subject
  if (who === undefined) return undefined
  return identity.email !== undefined && identity.email !== who ? `${who} <${identity.email}>` : who
}

/**
 * What the stored grant allows: `valid` (a fresh access token), `refreshable` (expired, with a
 * refresh token that `keyway token` will use), `expired` (a login is needed), or `none`.
 */
export type GrantState = 'valid' | 'refreshable' | 'expired' | 'none'

/** The {@link GrantState} of `tokens` at `now`. */
export function grantState(tokens: TokenSet | undefined, now: number): GrantState {
  if (tokens === undefined) return 'none'
  if (isAccessTokenFresh(tokens, now)) return 'valid'
  return tokens.refreshToken === undefined ? 'expired' : 'refreshable'
}
