import { configError } from './errors.js'
import { memoryStore } from './memory-store.js'
import { DEFAULT_PROFILE, type StoreKey, type TokenStore } from './ports/store.js'
import type { Transport } from './ports/transport.js'
import { defaultFetch } from './protocol/default-fetch.js'
import type { Fetch } from './protocol/fetch.js'
import { isAllowedEndpoint } from './protocol/loopback-host.js'
import { resolveResources } from './protocol/resources.js'
import { defaultRetryPolicy, type RetryPolicy } from './protocol/retry.js'
import type {
  ClientAuthMethod,
  Endpoints,
  ProtocolSettings,
  ResourceParameterName,
} from './protocol/settings.js'

/** The largest provider answer read when `maxResponseBytes` is not given: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576

/** The options of {@link createKeyway}. Times are milliseconds. */
export interface KeywayOptions {
  /** The provider's issuer URL, for OpenID Connect discovery. Give this or `endpoints`. */
  readonly issuer?: string | URL
  /** Explicit endpoints, for providers without discovery (Spotify, GitHub). */
  readonly endpoints?: Endpoints
  /** The OAuth client id. */
  readonly clientId: string
  /** The client secret of a confidential client; leave it out for a public client (PKCE only). */
  readonly clientSecret?: string
  /** How a confidential client authenticates: `client_secret_basic` (default) or `_post`. */
  readonly clientAuth?: ClientAuthMethod
  /** The scopes to ask for. `openid` makes the ID token required and validated. */
  readonly scopes?: readonly string[]
  /** Extra authorization request parameters, e.g. `{ access_type: 'offline' }` for Google. */
  readonly authorizationParams?: Readonly<Record<string, string>>
  /** How the person is sent to the provider and the answer comes back. Needed by `login()`. */
  readonly transport?: Transport
  /** Where tokens are kept; `memoryStore()` when not given. */
  readonly store?: TokenStore
  /** The app's name for this account in the store; `default` when not given. */
  readonly profile?: string
  /** Refresh this long before expiry (clamped to half the token's lifetime). Default 60 000. */
  readonly refreshMargin?: number
  /**
   * The longest a single HTTP request to the provider may take, in ms (more than 0), from
   * sending it to the last byte of its answer: a body that stalls or drips slowly fails with
   * `network` once it is spent, and a refresh is retried. Default 30 000.
   */
  readonly requestTimeout?: number
  /**
   * The largest answer Keyway reads from the provider, in bytes (a whole number, 1 or more),
   * for every request: discovery, token, revocation and device. A larger answer is refused
   * with `invalid_response` as soon as its size is known (its `Content-Length`, or the bytes
   * read so far), the connection is closed, and it is not retried; no more than this is ever
   * held in memory. Token responses are a few kilobytes. Default 1 048 576 (1 MiB).
   */
  readonly maxResponseBytes?: number
  /** How long a cross-process refresh lock is held at most. Default 30 000. */
  readonly lockLease?: number
  /** How transient token endpoint failures are retried. */
  readonly retry?: Partial<RetryPolicy>
  /**
   * Send the authorization request by PAR (RFC 9126): the authorization URL then carries only
   * `client_id` and `request_uri`. Off by default; a provider whose metadata says
   * `require_pushed_authorization_requests` gets PAR either way.
   */
  readonly pushedAuthorization?: boolean
  /**
   * Bind the grant to a DPoP key (RFC 9449): each login makes an ES256 key pair with WebCrypto
   * and proves possession of it on every token request, so the tokens are useless without it.
   * The key is kept in the store record with the grant. Off by default. A stored grant that
   * has a key is refreshed with it whatever this says.
   */
  readonly dpop?: boolean
  /**
   * The resource server(s) the tokens are for: RFC 8707 resource indicators (absolute URIs),
   * sent on the authorization request and on every token request, or, with
   * `resourceParameter: 'audience'`, one audience name for the authorization request.
   */
  readonly resource?: string | readonly string[]
  /** How the provider takes `resource`: `resource` (RFC 8707, default) or `audience`. */
  readonly resourceParameter?: ResourceParameterName
  /**
   * The `fetch` used for every protocol request, as given (the proxy variables are then the
   * app's to honour). Default: the global `fetch`, looked up at each request, through the
   * proxy that `HTTPS_PROXY`/`HTTP_PROXY` name (minus the hosts in `NO_PROXY`) when one is set.
   */
  readonly fetch?: Fetch
  /** The clock, in epoch ms; tests pass a fake one. */
  readonly clock?: () => number
  /** A source of randomness in [0, 1) for jitter; tests pass a fixed one. */
  readonly random?: () => number
}

/** The options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly protocol: ProtocolSettings
  /** Which grant the store keeps for these options. */
  readonly storeKey: StoreKey
  readonly transport: Transport | undefined
  /** The store given, or a new `memoryStore()`. */
  readonly store: TokenStore
  readonly profile: string
  readonly refreshMargin: number
  readonly lockLease: number
}

function parseEndpoint(name: string, value: unknown): URL {
  let url: URL
  try {
    url = new URL(String(value))
  } catch (cause) {
    throw configError(`${name} is not a valid URL.`, cause)
  }
  if (!isAllowedEndpoint(url)) {
    throw configError(
      `${name} must use https:// (plain http:// is allowed only on loopback hosts such as 127.0.0.1).`,
    )
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') {
    throw configError(`${name} must not carry credentials or a fragment.`)
  }
  return url
}

function resolveEndpoints(endpoints: Endpoints): { readonly [K in keyof Endpoints]: URL } {
  const names = ['authorization', 'token', 'revocation', 'deviceAuthorization', 'userinfo'] as const
  const resolved: Partial<Record<keyof Endpoints, URL>> = {}
  for (const name of names) {
    const value = endpoints[name]
    if (value !== undefined) resolved[name] = parseEndpoint(`endpoints.${name}`, value)
  }
  if (resolved.authorization === undefined || resolved.token === undefined) {
    throw configError('endpoints needs at least `authorization` and `token`.')
  }
  return resolved as { readonly [K in keyof Endpoints]: URL }
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw configError(`${name} must be a finite number of milliseconds, 0 or more.`)
  }
  return value
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = nonNegative(name, value, fallback)
  if (resolved === 0) throw configError(`${name} must be more than 0 milliseconds.`)
  return resolved
}

function positiveWhole(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw configError(`${name} must be a whole number, 1 or more.`)
  }
  return value
}

function resolveScopes(scopes: readonly string[] | undefined): readonly string[] {
  if (scopes === undefined) return []
  if (!Array.isArray(scopes)) throw configError('scopes must be an array of strings.')
  for (const scope of scopes) {
    if (typeof scope !== 'string' || scope === '' || /\s/.test(scope)) {
      throw configError('each scope must be a non-empty string without spaces.')
    }
  }
  return [...new Set(scopes)]
}

function assertStore(store: TokenStore | undefined): void {
  if (store === undefined) return
  for (const method of ['load', 'save', 'delete'] as const) {
    if (typeof store[method] !== 'function') {
      throw configError(`store must implement ${method}(): see the TokenStore port.`)
    }
  }
}

function assertTransport(transport: Transport | undefined): void {
  if (transport === undefined) return
  const valid =
    (transport.kind === 'code' && typeof transport.open === 'function') ||
    (transport.kind === 'tokens' && typeof transport.authorize === 'function')
  if (!valid) throw configError('transport must be a CodeTransport or a TokenTransport.')
}

/** Checks `options` and fills in the defaults; every problem is a `config_error`. */
export function resolveOptions(options: KeywayOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw configError('createKeyway needs an options object.')
  }
  const { clientId, clientSecret, issuer, endpoints } = options
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw configError('clientId is required.')
  }
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret === '')) {
    throw configError('clientSecret, when given, must be a non-empty string.')
  }
  if (issuer === undefined && endpoints === undefined) {
    throw configError('Give either issuer (for discovery) or endpoints.')
  }
  const clientAuth = options.clientAuth ?? (clientSecret ? 'client_secret_basic' : 'none')
  if (!['none', 'client_secret_basic', 'client_secret_post'].includes(clientAuth)) {
    throw configError(`clientAuth ${String(clientAuth)} is not supported.`)
  }
  if (clientAuth !== 'none' && clientSecret === undefined) {
    throw configError(`clientAuth ${clientAuth} needs a clientSecret.`)
  }
  const profile = options.profile ?? DEFAULT_PROFILE
  if (typeof profile !== 'string' || profile.trim() === '') {
    throw configError('profile, when given, must be a non-empty string.')
  }
  if (options.pushedAuthorization === true && endpoints !== undefined) {
    throw configError(
      'pushedAuthorization needs the provider’s pushed authorization request endpoint, which comes from discovery: give the issuer without endpoints.',
    )
  }
  assertStore(options.store)
  assertTransport(options.transport)
  const retry = { ...defaultRetryPolicy, ...options.retry }
  const attempts = positiveWhole('retry.attempts', retry.attempts, defaultRetryPolicy.attempts)
  const issuerUrl = issuer === undefined ? undefined : parseEndpoint('issuer', issuer)
  const endpointUrls = endpoints === undefined ? undefined : resolveEndpoints(endpoints)
  return {
    storeKey: {
      // Without discovery the token endpoint's origin stands for the issuer.
      issuer: issuerUrl?.href ?? endpointUrls?.token.origin ?? '',
      clientId,
      profile,
    },
    protocol: {
      ...(issuerUrl === undefined ? {} : { issuer: issuerUrl }),
      ...(endpointUrls === undefined ? {} : { endpoints: endpointUrls }),
      clientId,
      ...(clientSecret === undefined ? {} : { clientSecret }),
      clientAuth,
      scopes: resolveScopes(options.scopes),
      authorizationParams: { ...options.authorizationParams },
      fetch: options.fetch ?? defaultFetch(),
      clock: options.clock ?? Date.now,
      random: options.random ?? Math.random,
      requestTimeout: positive('requestTimeout', options.requestTimeout, 30_000),
      maxResponseBytes: positiveWhole(
        'maxResponseBytes',
        options.maxResponseBytes,
        DEFAULT_MAX_RESPONSE_BYTES,
      ),
      retry: {
        ...retry,
        attempts,
        baseDelay: nonNegative('retry.baseDelay', retry.baseDelay, 500),
        maxDelay: nonNegative('retry.maxDelay', retry.maxDelay, 10_000),
      },
      pushedAuthorization: options.pushedAuthorization === true,
      dpop: options.dpop === true,
      ...resolveResources(options.resource, options.resourceParameter),
    },
    transport: options.transport,
    store: options.store ?? memoryStore(),
    profile,
    refreshMargin: nonNegative('refreshMargin', options.refreshMargin, 60_000),
    lockLease: nonNegative('lockLease', options.lockLease, 30_000),
  }
}

/**
 * The key under which a Keyway with these `options` keeps its grant in a store, without
 * creating one: for tools that read or clear a store themselves (a CLI's `status`).
 */
export function storeKeyOf(options: KeywayOptions): StoreKey {
  return resolveOptions(options).storeKey
}
