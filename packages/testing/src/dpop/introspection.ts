import type { DevProvider } from '../dev-provider/provider.js'

/** What the dev provider says about a token (RFC 7662), as far as the tests read it. */
export interface TokenIntrospection {
  readonly active: boolean
  readonly sub?: string
  readonly token_type?: string
  readonly aud?: string | readonly string[]
  /** The key a DPoP-bound token is bound to: its JWK thumbprint (RFC 9449 §6.2). */
  readonly cnf?: { readonly jkt?: string }
}

/**
 * Asks the dev provider about `token` at its introspection endpoint, as its confidential
 * client: as a resource server would, and as tests check what a token is bound to.
 */
export async function introspectToken(
  dev: DevProvider,
  token: string,
): Promise<TokenIntrospection> {
  const { clientId, clientSecret } = dev.clients.confidential
  const response = await fetch(new URL('token/introspection', `${dev.issuer}/`), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }).toString(),
  })
  return (await response.json()) as TokenIntrospection
}
