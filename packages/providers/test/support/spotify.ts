import {
  AuthorizationServer,
  type Client,
  type Issued,
  type Outcome,
} from './authorization-server.js'
import { type Answer, type Imitation, json, page, redirect, startImitation } from './http.js'

/** Spotify's registered redirect path in these tests; loopback on any port. */
const REDIRECT_PATH = '/callback'

/**
 * Spotify's refusal of a redirect URI, on its own page (it never redirects to an address it
 * does not trust): `localhost` is refused since 2025 (only the loopback literals are
 * accepted), and so is plain `http` anywhere but loopback.
 */
function refusedRedirect(value: string | null): Answer | undefined {
  let uri: URL
  try {
    uri = new URL(value ?? '')
  } catch {
    return page(400, 'INVALID_CLIENT: Invalid redirect URI')
  }
  const loopbackLiteral = uri.hostname === '127.0.0.1' || uri.hostname === '[::1]'
  if (uri.hostname === 'localhost' || (uri.protocol === 'http:' && !loopbackLiteral)) {
    return page(400, 'INVALID_CLIENT: Insecure redirect URI')
  }
  if (uri.pathname !== REDIRECT_PATH) return page(400, 'INVALID_CLIENT: Invalid redirect URI')
  return undefined
}

/** A Spotify imitation and the authorization server behind it. */
export interface SpotifyImitation extends Imitation {
  readonly server: AuthorizationServer
  readonly client: Required<Client>
}

function tokenAnswer(outcome: Outcome<Issued>): Answer {
  if (!outcome.ok) {
    return json(outcome.status, { error: outcome.error, error_description: outcome.description })
  }
  const { accessToken, refreshToken, authorization } = outcome.value
  return json(200, {
    access_token: accessToken,
    token_type: 'Bearer',
    scope: authorization.scopes.join(' '),
    expires_in: 3600,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
  })
}

/**
 * Imitates Spotify's accounts service (`/authorize`, `/api/token`): no discovery document;
 * redirect URIs on `localhost` or insecure hosts refused with an error page; PKCE required of a
 * client that sends no secret, and checked (S256); a confidential client authenticates with
 * HTTP Basic; every code exchange issues a refresh token, and every refresh rotates it (the
 * old one is then `invalid_grant`). The authorize endpoint redirects straight back with a
 * code, as for a person who consented before.
 */
export async function startSpotify(): Promise<SpotifyImitation> {
  const client = { id: 'spotify-client-id', secret: 'spotify-client-secret' }
  const server = new AuthorizationServer({
    client,
    prefixes: { access: 'BQ-access-', refresh: 'AQ-refresh-', code: 'AQ-code-' },
    secretRequired: () => false,
    issuesRefreshToken: () => true,
    rotatesRefreshTokens: true,
  })
  const imitation = await startImitation((request) => {
    const path = request.url.pathname
    if (path === '/authorize' && request.method === 'GET') {
      const query = request.url.searchParams
      const refusal = refusedRedirect(query.get('redirect_uri'))
      if (refusal !== undefined) return refusal
      const outcome = server.authorize(query)
      return outcome.ok
        ? redirect(outcome.value.redirect, {})
        : page(400, `${outcome.error}: ${outcome.description}`)
    }
    if (path === '/api/token' && request.method === 'POST')
      return tokenAnswer(server.token(request))
    return undefined
  })
  return { ...imitation, server, client }
}
