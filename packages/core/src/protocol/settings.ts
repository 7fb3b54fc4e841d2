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
  /** Send the authorization request by PAR (RFC 9126) instead of in the URL. */
  readonly pushedAuthorization: boolean
}
