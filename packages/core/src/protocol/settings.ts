import type { Fetch } from './fetch.js'
import type { RetryPolicy } from './retry.js'

/** Explicit endpoints, for providers without a discovery document (Spotify, GitHub). */
export interface Endpoints {
  readonly authorization: string
  readonly token: string
  readonly revocation?: string
  readonly deviceAuthorization?: string
  readonly userinfo?: string
}

/** How the client proves itself at the token endpoint. */
export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post'

/** Everything the protocol layer needs, validated and with defaults filled in. */
export interface ProtocolSettings {
  readonly issuer?: URL
  readonly endpoints?: { readonly [K in keyof Endpoints]: URL }
  readonly clientId: string
  readonly clientSecret?: string
  readonly clientAuth: ClientAuthMethod
  readonly scopes: readonly string[]
  readonly authorizationParams: Readonly<Record<string, string>>
  readonly fetch: Fetch
  readonly clock: () => number
  readonly random: () => number
  /** Per-request timeout in milliseconds, from sending to the answer's last byte. */
  readonly requestTimeout: number
  /** The most bytes of a provider's answer that are read; a larger one is refused. */
  readonly maxResponseBytes: number
  readonly retry: RetryPolicy
  /**
   * Send the authorization request by PAR (RFC 9126) instead of in the URL; a provider whose
   * metadata says `require_pushed_authorization_requests` gets PAR either way.
   */
  readonly pushedAuthorization: boolean
  /** Bind new grants to a DPoP key (RFC 9449) made at login. */
  readonly dpop: boolean
  /** The resource indicators (RFC 8707) or audience, as the authorization request sends them. */
  readonly authorizationResources: readonly ResourceParameter[]
  /** The resource indicators as token requests (exchange, refresh) send them; may be empty. */
  readonly tokenResources: readonly ResourceParameter[]
}

/** One request parameter naming a resource: `['resource', uri]` or `['audience', name]`. */
export type ResourceParameter = readonly [name: 'resource' | 'audience', value: string]

/**
 * How a provider takes the resource the tokens are for: `resource`, RFC 8707's resource
 * indicators (one or more absolute URIs, sent on the authorization and every token request),
 * or `audience`, one name sent on the authorization request only (as Auth0 takes it).
 */
export type ResourceParameterName = 'resource' | 'audience'
