import {
  type Authorization,
  AuthorizationServer,
  type Client,
  type Issued,
  type Outcome,
} from './authorization-server.js'
import { answerAuthorize } from './authorize-endpoint.js'
import {
  type Answer,
  bearerToken,
  type Imitation,
  json,
  page,
  type Received,
  startImitation,
} from './http.js'
import {
  defaultPlaylists,
  type PlaylistSeed,
  playlistsPage,
  webApiError,
} from './spotify-web-api.js'

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

/** Options of {@link startSpotify}. */
export interface SpotifyOptions {
  /** The person's playlists, in order. Default {@link defaultPlaylists}. */
  readonly playlists?: readonly PlaylistSeed[]
}

/** A Spotify imitation and the authorization server behind it. */
export interface SpotifyImitation extends Imitation {
  readonly server: AuthorizationServer
  readonly client: Required<Client>
  /**
   * Ends every access token issued so far before its expiry, as Spotify does now and then:
   * the Web API answers them 401 while the refresh token still works.
   */
  expireAccessTokens(): void
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
 *
 * It imitates the Web API (`api.spotify.com`) on the same base too: `GET /v1/me/playlists`
 * takes only a bearer token the accounts service issued and has not expired, and lists the
 * playlists the grant's scopes allow, a page at a time.
 */
export async function startSpotify(options: SpotifyOptions = {}): Promise<SpotifyImitation> {
  const library = options.playlists ?? defaultPlaylists
  const client = { id: 'spotify-client-id', secret: 'spotify-client-secret' }
  const server = new AuthorizationServer({
    client,
    prefixes: { access: 'BQ-access-', refresh: 'AQ-refresh-', code: 'AQ-code-' },
    secretRequired: () => false,
    issuesRefreshToken: () => true,
    rotatesRefreshTokens: true,
  })
  const expired = new Set<string>()
  /** The grant behind the request's bearer token, or Spotify's 401. */
  const bearerGrant = (request: Received): Authorization | Answer => {
    const token = bearerToken(request)
    if (token === undefined) return webApiError(401, 'No token provided')
    if (expired.has(token)) return webApiError(401, 'The access token expired')
    return server.grantOf(token) ?? webApiError(401, 'Invalid access token')
  }
  const imitation = await startImitation((request, base) => {
    const path = request.url.pathname
    if (path === '/authorize' && request.method === 'GET') {
      return answerAuthorize(server, request.url.searchParams, {
        refuse: refusedRedirect,
        errorText: (refusal) => `${refusal.error}: ${refusal.description}`,
      })
    }
    if (path === '/api/token' && request.method === 'POST')
      return tokenAnswer(server.token(request))
    if (path === '/v1/me/playlists' && request.method === 'GET') {
      const grant = bearerGrant(request)
      if ('status' in grant) return grant
      return playlistsPage(request.url.searchParams, base, library, grant.scopes)
    }
    return undefined
  })
  const expireAccessTokens = () => {
    for (const issued of server.issued) expired.add(issued.accessToken)
  }
  return { ...imitation, server, client, expireAccessTokens }
}
