import { createHash } from 'node:crypto'
import type { Received } from './http.js'

/** The one client an imitation knows. */
export interface Client {
  readonly id: string
  /** Its secret; a client without one is public and must use PKCE. */
  readonly secret?: string
}

/** What the person authorized: kept with the code, then with the refresh token. */
export interface Authorization {
  readonly clientId: string
  readonly redirectUri: string
  readonly scopes: readonly string[]
  /** The whole authorization request, for provider-specific parameters. */
  readonly query: URLSearchParams
  readonly codeChallenge: string | undefined
}

/** How a token request proved the client: HTTP Basic, the secret in the body, or not at all. */
export type ClientAuthUsed = 'basic' | 'post' | 'none'

/** Tokens issued by one token request. */
export interface Issued {
  readonly accessToken: string
  readonly refreshToken: string | undefined
  readonly authorization: Authorization
  readonly clientAuth: ClientAuthUsed
  readonly grantType: string
}

/** An OAuth error, in the RFC's words unless the provider uses its own. */
export interface Refusal {
  readonly error: string
  readonly description: string
  /** The status the RFC asks for; an imitation may answer with another (GitHub: 200). */
  readonly status: number
}

/** Either what was asked for, or why not. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | ({ readonly ok: false } & Refusal)

const refuse = (error: string, description: string, status = 400): Outcome<never> => ({
  ok: false,
  error,
  description,
  status,
})

/** The provider's own names for the RFC's errors, where they differ. */
export interface ErrorNames {
  readonly invalidClient?: string
  readonly invalidCode?: string
  readonly invalidRefreshToken?: string
  /** The error for a token request without the secret the provider requires. */
  readonly missingSecret?: Omit<Refusal, 'status'>
}

/** How an imitation's authorization server behaves; each provider's quirks pick these. */
export interface ServerPolicy {
  readonly client: Client
  /** Prefixes of the values issued, in the provider's style (`gho_`, `ya29.`). */
  readonly prefixes: { readonly access: string; readonly refresh: string; readonly code: string }
  /** Whether a token request of this grant type must carry the client secret. */
  readonly secretRequired: (grantType: string) => boolean
  /** Whether an authorization gets a refresh token. */
  readonly issuesRefreshToken: (authorization: Authorization) => boolean
  /** Whether each refresh issues a new refresh token and ends the old one. */
  readonly rotatesRefreshTokens: boolean
  readonly errorNames?: ErrorNames
}

/** `BASE64URL(SHA256(verifier))`, the S256 challenge (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

/**
 * The core of an authorization server, shared by the imitations: codes that are single-use
 * and bound to the redirect URI and the PKCE challenge, client authentication, refresh tokens
 * that may rotate, revocation. Each imitation wraps it in its provider's HTTP dialect.
 */
export class AuthorizationServer {
  readonly #policy: ServerPolicy
  readonly #codes = new Map<string, Authorization>()
  readonly #refreshTokens = new Map<string, Authorization>()
  readonly #issued: Issued[] = []
  #counter = 0

  constructor(policy: ServerPolicy) {
    this.#policy = policy
  }

  /** Every token response so far, in order. */
  get issued(): readonly Issued[] {
    return this.#issued
  }

  /**
   * The authorization behind an access token this server issued: what a resource server
   * imitation checks a bearer token against. Undefined for any other value.
   */
  grantOf(accessToken: string | undefined): Authorization | undefined {
    return this.#issued.find((issued) => issued.accessToken === accessToken)?.authorization
  }

  /** True while `refreshToken` can still be used. */
  isLive(refreshToken: string): boolean {
    return this.#refreshTokens.has(refreshToken)
  }

  /** Ends every grant, as when the person removes the app's access. */
  revokeAll(): void {
    this.#refreshTokens.clear()
  }

  /** Ends the grant of a refresh token; false when it was not live. */
  revoke(refreshToken: string): boolean {
    return this.#refreshTokens.delete(refreshToken)
  }

  #next(prefix: string): string {
    this.#counter += 1
    return `${prefix}${this.#counter}`
  }

  /** Checks an authorization request and issues a code for the redirect back. */
  authorize(query: URLSearchParams): Outcome<{ readonly redirect: URL }> {
    const { client, prefixes } = this.#policy
    if (query.get('client_id') !== client.id) return refuse('invalid_client', 'unknown client_id')
    if (query.get('response_type') !== 'code') {
      return refuse('unsupported_response_type', 'response_type must be code')
    }
    const challenge = query.get('code_challenge') ?? undefined
    if (challenge !== undefined && query.get('code_challenge_method') !== 'S256') {
      return refuse('invalid_request', 'code_challenge_method must be S256')
    }
    const redirect = new URL(query.get('redirect_uri') ?? '')
    const code = this.#next(prefixes.code)
    this.#codes.set(code, {
      clientId: client.id,
      redirectUri: redirect.href,
      scopes: (query.get('scope') ?? '').split(' ').filter(Boolean),
      query,
      codeChallenge: challenge,
    })
    redirect.searchParams.set('code', code)
    const state = query.get('state')
    if (state !== null) redirect.searchParams.set('state', state)
    return { ok: true, value: { redirect } }
  }

  /** Authenticates a token request's client, by HTTP Basic or by the body. */
  authenticate(request: Received): Outcome<ClientAuthUsed> {
    const { client, errorNames = {} } = this.#policy
    const invalidClient = errorNames.invalidClient ?? 'invalid_client'
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
      : [request.form.get('client_id'), request.form.get('client_secret') ?? undefined]
    const used: ClientAuthUsed = basic ? 'basic' : secret === undefined ? 'none' : 'post'
    if (id !== client.id) return refuse(invalidClient, 'unknown client', 401)
    if (secret !== undefined && secret !== client.secret) {
      return refuse(invalidClient, 'the client secret is wrong', 401)
    }
    const grantType = request.form.get('grant_type') ?? ''
    if (
      secret === undefined &&
      client.secret !== undefined &&
      this.#policy.secretRequired(grantType)
    ) {
      const missing = errorNames.missingSecret ?? {
        error: invalidClient,
        description: 'the client secret is missing',
      }
      return refuse(missing.error, missing.description, 401)
    }
    return { ok: true, value: used }
  }

  /** The token endpoint for the code and refresh token grants. */
  token(request: Received): Outcome<Issued> {
    const auth = this.authenticate(request)
    if (!auth.ok) return auth
    const grantType = request.form.get('grant_type')
    if (grantType === 'authorization_code') return this.#redeemCode(request.form, auth.value)
    if (grantType === 'refresh_token') return this.#refresh(request.form, auth.value)
    return refuse('unsupported_grant_type', `grant_type ${grantType} is not supported`)
  }

  #redeemCode(form: URLSearchParams, clientAuth: ClientAuthUsed): Outcome<Issued> {
    const invalidCode = this.#policy.errorNames?.invalidCode ?? 'invalid_grant'
    const code = form.get('code') ?? ''
    const authorization = this.#codes.get(code)
    this.#codes.delete(code)
    if (authorization === undefined) return refuse(invalidCode, 'the code is wrong or was used')
    if (form.get('redirect_uri') !== authorization.redirectUri) {
      return refuse(invalidCode, 'redirect_uri does not match the authorization request')
    }
    const verifier = form.get('code_verifier')
    if (authorization.codeChallenge === undefined) {
      if (clientAuth === 'none') return refuse('invalid_request', 'a public client must use PKCE')
    } else if (verifier === null) {
      return refuse('invalid_request', 'code_verifier required')
    } else if (s256(verifier) !== authorization.codeChallenge) {
      return refuse('invalid_grant', 'code_verifier was incorrect')
    }
    return { ok: true, value: this.issue(authorization, clientAuth, 'authorization_code') }
  }

  #refresh(form: URLSearchParams, clientAuth: ClientAuthUsed): Outcome<Issued> {
    const invalid = this.#policy.errorNames?.invalidRefreshToken ?? 'invalid_grant'
    const presented = form.get('refresh_token') ?? ''
    const authorization = this.#refreshTokens.get(presented)
    if (authorization === undefined) return refuse(invalid, 'Invalid refresh token')
    const rotate = this.#policy.rotatesRefreshTokens
    if (rotate) this.#refreshTokens.delete(presented)
    const issued = this.issue(authorization, clientAuth, 'refresh_token', !rotate)
    return { ok: true, value: issued }
  }

  /**
   * Issues an access token, and a refresh token when the policy grants one (never on a
   * refresh that does not rotate: the old one stays valid).
   */
  issue(
    authorization: Authorization,
    clientAuth: ClientAuthUsed,
    grantType: string,
    keepRefreshToken = false,
  ): Issued {
    const { prefixes, issuesRefreshToken } = this.#policy
    const refreshToken =
      !keepRefreshToken && issuesRefreshToken(authorization)
        ? this.#next(prefixes.refresh)
        : undefined
    if (refreshToken !== undefined) this.#refreshTokens.set(refreshToken, authorization)
    const issued = {
      accessToken: this.#next(prefixes.access),
      refreshToken,
      authorization,
      clientAuth,
      grantType,
    }
    this.#issued.push(issued)
    return issued
  }
}
