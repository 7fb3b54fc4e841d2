import {
  type Answer,
  type Authorization,
  AuthorizationServer,
  type Client,
  type Imitation,
  type Issued,
  json,
  type Outcome,
  page,
  redirect,
} from '@keyway/testing/imitations'
import { IdTokenSigner } from './id-token.js'
import { startImitation } from './imitations.js'

/** The scopes Google names by URL in its answers. */
const scopeUrls: Readonly<Record<string, string>> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
}

/** A Google imitation and the authorization server behind it. */
export interface GoogleImitation extends Imitation {
  readonly server: AuthorizationServer
  readonly client: Required<Client>
  /** The ID token claims about the person. */
  readonly subject: string
}

/**
 * Google issues a refresh token only for `access_type=offline`, and only at a consent: this
 * person consented before, so only `prompt=consent` shows the consent page again.
 */
function getsRefreshToken({ query }: Authorization): boolean {
  const prompts = (query.get('prompt') ?? '').split(' ')
  return query.get('access_type') === 'offline' && prompts.includes('consent')
}

function isLoopback(value: string | null): boolean {
  if (!URL.canParse(value ?? '')) return false
  const uri = new URL(value ?? '')
  return uri.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(uri.hostname)
}

/**
 * Imitates Google's OAuth 2.0 for desktop apps: a discovery document at the issuer; loopback
 * redirect URIs on any port; the client secret required at the token endpoint even with
 * PKCE (`invalid_request`, "client_secret is missing." without it); a refresh token only for
 * `access_type=offline` with `prompt=consent`; refreshes that keep the refresh token (none in
 * the answer); signed ID tokens; scopes answered by URL; revocation that ends the whole grant
 * and refuses an already-ended token with 400 `invalid_token`.
 */
export async function startGoogle(): Promise<GoogleImitation> {
  const client = {
    id: '1234-imitation.apps.googleusercontent.com',
    secret: 'GOCSPX-imitation-secret',
  }
  const subject = '110169484474386276334'
  const signer = new IdTokenSigner()
  const server = new AuthorizationServer({
    client,
    prefixes: { access: 'ya29.access-', refresh: '1//refresh-', code: '4/code-' },
    secretRequired: () => true,
    issuesRefreshToken: getsRefreshToken,
    rotatesRefreshTokens: false,
    errorNames: {
      missingSecret: { error: 'invalid_request', description: 'client_secret is missing.' },
    },
  })
  const ended = new Set<Authorization>()

  const tokenAnswer = (outcome: Outcome<Issued>, issuer: string): Answer => {
    if (!outcome.ok) {
      return json(outcome.status, { error: outcome.error, error_description: outcome.description })
    }
    const { accessToken, refreshToken, authorization } = outcome.value
    const scopes = authorization.scopes
    return json(200, {
      access_token: accessToken,
      expires_in: 3599,
      scope: scopes.map((scope) => scopeUrls[scope] ?? scope).join(' '),
      token_type: 'Bearer',
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      ...(scopes.includes('openid')
        ? {
            id_token: signer.sign(issuer, client.id, {
              sub: subject,
              azp: client.id,
              email: 'person@example.com',
              email_verified: true,
            }),
          }
        : {}),
    })
  }

  const revoke = (token: string): Answer => {
    const grant = server.issued.find(
      (issued) => issued.accessToken === token || issued.refreshToken === token,
    )
    if (grant === undefined || ended.has(grant.authorization)) {
      return json(400, { error: 'invalid_token', error_description: 'Token expired or revoked' })
    }
    ended.add(grant.authorization)
    for (const issued of server.issued) {
      if (issued.authorization === grant.authorization && issued.refreshToken !== undefined) {
        server.revoke(issued.refreshToken)
      }
    }
    return json(200, {})
  }

  const imitation = await startImitation((request, issuer) => {
    const { pathname: path, searchParams: query } = request.url
    if (path === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/o/oauth2/v2/auth`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/v1/userinfo`,
        revocation_endpoint: `${issuer}/revoke`,
        jwks_uri: `${issuer}/oauth2/v3/certs`,
        response_types_supported: ['code', 'token', 'id_token', 'code id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        code_challenge_methods_supported: ['plain', 'S256'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
      })
    }
    if (path === '/oauth2/v3/certs') return json(200, signer.jwks)
    if (path === '/o/oauth2/v2/auth' && request.method === 'GET') {
      if (!isLoopback(query.get('redirect_uri'))) {
        return page(400, 'Error 400: redirect_uri_mismatch')
      }
      const outcome = server.authorize(query)
      return outcome.ok
        ? redirect(outcome.value.redirect, {})
        : page(400, `Error 400: ${outcome.error}`)
    }
    if (path === '/token' && request.method === 'POST') {
      return tokenAnswer(server.token(request), issuer)
    }
    if (path === '/revoke' && request.method === 'POST')
      return revoke(request.form.get('token') ?? '')
    return undefined
  })
  return { ...imitation, server, client, subject }
}
