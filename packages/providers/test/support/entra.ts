import type { Fetch } from '@keyway/core'
import type { BrowserOpener } from '@keyway/loopback'
import {
  type Answer,
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
import { consentedBrowser } from './login.js'

/** Entra's real authority: what the multi-tenant test routes to the imitation. */
export const ENTRA_ORIGIN = 'https://login.microsoftonline.com'
const multiTenant = new Set(['common', 'organizations', 'consumers'])

/** Options of {@link startEntra}. */
export interface EntraOptions {
  /**
   * The origin the documents name (`ENTRA_ORIGIN` for a test that routes Entra's real host to
   * the imitation); the imitation's own base by default.
   */
  readonly publicOrigin?: string
  /** The `iss` of the ID tokens, from the person's tenant id; Entra's own by default. */
  readonly idTokenIssuer?: (origin: string, tenantId: string) => string
}

/** An Entra imitation and the authorization server behind it. */
export interface EntraImitation extends Imitation {
  readonly server: AuthorizationServer
  readonly client: Client
  /** The tenant id of the person who signs in. */
  readonly homeTenant: string
}

const entraIssuer = (origin: string, tenantId: string) => `${origin}/${tenantId}/v2.0`

/** Entra's error body: an `AADSTS` description, error codes and trace ids. */
function entraError(outcome: Extract<Outcome<unknown>, { ok: false }>): Answer {
  return json(outcome.status, {
    error: outcome.error,
    error_description: `AADSTS70000: ${outcome.description}`,
    error_codes: [70000],
    timestamp: new Date().toISOString(),
    trace_id: '00000000-0000-0000-0000-000000000001',
    correlation_id: '00000000-0000-0000-0000-000000000002',
  })
}

/**
 * Imitates Microsoft Entra ID's v2.0 endpoints under `/{tenant}/…`: discovery per tenant,
 * whose issuer names the tenant id (a domain name resolves to the home tenant's id) or, for
 * `common`, `organizations` and `consumers`, the literal `{tenantid}` placeholder; ID tokens
 * issued by the person's home tenant with its `tid`; a public client with PKCE; a refresh
 * token only for the `offline_access` scope, rotating on each refresh; `AADSTS` error bodies.
 */
export async function startEntra(options: EntraOptions = {}): Promise<EntraImitation> {
  const client = { id: '6731de76-14a6-49ae-97bc-6eba6914391e' }
  const homeTenant = '72f988bf-86f1-41af-91ab-2d7cd011db47'
  const signer = new IdTokenSigner()
  const idTokenIssuer = options.idTokenIssuer ?? entraIssuer
  const server = new AuthorizationServer({
    client,
    prefixes: { access: 'eyJ0eXAi.access-', refresh: '0.AXEA.refresh-', code: '0.AXEA.code-' },
    secretRequired: () => false,
    issuesRefreshToken: ({ scopes }) => scopes.includes('offline_access'),
    rotatesRefreshTokens: true,
  })

  const tokenAnswer = (outcome: Outcome<Issued>, origin: string): Answer => {
    if (!outcome.ok) return entraError(outcome)
    const { accessToken, refreshToken, authorization } = outcome.value
    const idToken = signer.sign(idTokenIssuer(origin, homeTenant), client.id, {
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      tid: homeTenant,
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      ver: '2.0',
      preferred_username: 'person@contoso.example',
    })
    return json(200, {
      token_type: 'Bearer',
      scope: authorization.scopes.join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      ...(authorization.scopes.includes('openid') ? { id_token: idToken } : {}),
    })
  }

  const discovery = (origin: string, tenant: string) => {
    const issuerTenant = multiTenant.has(tenant)
      ? '{tenantid}'
      : tenant.includes('.')
        ? homeTenant
        : tenant
    const endpoints = `${origin}/${tenant}/oauth2/v2.0`
    return json(200, {
      issuer: entraIssuer(origin, issuerTenant),
      authorization_endpoint: `${endpoints}/authorize`,
      token_endpoint: `${endpoints}/token`,
      jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'tid',
        'ver',
        'oid',
        'preferred_username',
      ],
      tenant_region_scope: 'WW',
    })
  }

  const imitation = await startImitation((request, base) => {
    const origin = options.publicOrigin ?? base
    const match = /^\/([^/]+)(\/.*)$/.exec(request.url.pathname)
    if (match === null) return undefined
    const [, tenant = '', rest] = match
    if (rest === '/v2.0/.well-known/openid-configuration') return discovery(origin, tenant)
    if (rest === '/discovery/v2.0/keys') return json(200, signer.jwks)
    if (rest === '/oauth2/v2.0/authorize' && request.method === 'GET') {
      const outcome = server.authorize(request.url.searchParams)
      return outcome.ok ? redirect(outcome.value.redirect, {}) : page(400, outcome.description)
    }
    if (rest === '/oauth2/v2.0/token' && request.method === 'POST') {
      return tokenAnswer(server.token(request), origin)
    }
    return undefined
  })
  return { ...imitation, server, client, homeTenant }
}

/** `url` on Entra's real host, moved to the imitation's base; any other URL as it is. */
export function toImitation(url: string, base: string): string {
  return url.startsWith(`${ENTRA_ORIGIN}/`) ? `${base}${url.slice(ENTRA_ORIGIN.length)}` : url
}

/**
 * A `fetch` that sends requests for Entra's real host to the imitation, as a proxy would:
 * the issuer stays `https://login.microsoftonline.com/…`, which is what openid-client's
 * handling of Entra's multi-tenant issuers keys on.
 */
export function routedFetch(base: string): Fetch {
  return (input, init) =>
    input instanceof Request
      ? fetch(new Request(toImitation(input.url, base), input), init)
      : fetch(toImitation(String(input), base), init)
}

/** The consented person's browser, for authorization URLs on Entra's real host. */
export function routedBrowser(base: string): BrowserOpener {
  return (url) => consentedBrowser(toImitation(url, base))
}
