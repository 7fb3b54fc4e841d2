import type {
  ClientAuthMethod,
  Endpoints,
  Fetch,
  KeywayOptions,
  ResourceParameterName,
} from '@keyway/core'

/** The names of the presets in {@link providers}. */
export type ProviderName = 'spotify' | 'github' | 'google' | 'microsoft' | 'generic'

/**
 * The protocol part of {@link KeywayOptions} a preset fills in. Spread it into `createKeyway()`
 * and add the transport and the store.
 */
export type ProviderOptions = Pick<
  KeywayOptions,
  | 'issuer'
  | 'endpoints'
  | 'clientId'
  | 'clientSecret'
  | 'clientAuth'
  | 'scopes'
  | 'authorizationParams'
  | 'fetch'
  | 'resource'
  | 'resourceParameter'
>

/** What every preset takes: the app's registration at the provider, and a few overrides. */
export interface ProviderInput {
  /** The OAuth client id the provider gave the app. */
  readonly clientId: string
  /** The client secret, for providers or registrations that need one. */
  readonly clientSecret?: string
  /**
   * The scopes to ask for, in place of the preset's `defaultScopes`: an array, or one
   * space-separated string as a command line takes it (`'playlist-read-private user-read-email'`).
   */
  readonly scopes?: string | readonly string[]
  /** Extra authorization request parameters, added to (and overriding) the preset's own. */
  readonly authorizationParams?: Readonly<Record<string, string>>
  /** The `fetch` for every protocol request (a proxy, tracing); the preset wraps it if it must. */
  readonly fetch?: Fetch
  /**
   * The provider's base URL in place of the real one (e.g. `https://accounts.spotify.com`),
   * for tests against a local imitation, for proxies, and for other clouds of the same
   * provider. Plain `http://` is accepted on loopback hosts only.
   */
  readonly baseUrl?: string | URL
}

/** What {@link providers.microsoft} takes besides {@link ProviderInput}. */
export interface MicrosoftInput extends ProviderInput {
  /**
   * The directory (tenant): its id or domain name, or `common` (default: work, school and
   * personal accounts), `organizations` (work and school only) or `consumers` (personal only).
   */
  readonly tenant?: string
}

/** What {@link providers.generic} takes: any OpenID Connect issuer, or explicit endpoints. */
export interface GenericInput extends Omit<ProviderInput, 'baseUrl'> {
  /** The issuer URL, for OpenID Connect discovery. Give this or `endpoints`. */
  readonly issuer?: string | URL
  /** Explicit endpoints, for an OAuth 2.0 server without discovery. */
  readonly endpoints?: Endpoints
  /** How a confidential client authenticates; core's default is `client_secret_basic`. */
  readonly clientAuth?: ClientAuthMethod
  /**
   * The resource server(s) the tokens are for (see `KeywayOptions.resource`): RFC 8707
   * resource indicators, or one audience name with `resourceParameter: 'audience'`.
   */
  readonly resource?: string | readonly string[]
  /**
   * How the provider takes `resource`: `resource` (RFC 8707, the default) or `audience`, for
   * providers that call it that (Auth0).
   */
  readonly resourceParameter?: ResourceParameterName
}

/**
 * Every field any preset takes, for a program that picks the preset by name at run time
 * (see {@link getProvider}). A preset refuses, with a `config_error`, a field that is not
 * its own (a `tenant` for Spotify).
 */
export interface AnyProviderInput extends ProviderInput, MicrosoftInput, GenericInput {}

/**
 * How far the device authorization grant (RFC 8628) works: `supported`, `unsupported`, or
 * `whenAdvertised` (the provider's discovery document decides).
 */
export type DeviceGrantSupport = 'supported' | 'unsupported' | 'whenAdvertised'

/**
 * Whether the app must have a client secret: `required` for every flow, `browserFlow` for the
 * authorization code flow only (the device grant does without), `optional` when a public
 * client with PKCE alone is enough.
 */
export type ClientSecretNeed = 'required' | 'browserFlow' | 'optional'

/** What a program needs to know about a provider before it logs in: for a CLI's choices. */
export interface ProviderInfo {
  /** The preset's name in {@link providers}. */
  readonly name: ProviderName
  /** The provider's name for people, e.g. `Microsoft Entra ID`. */
  readonly displayName: string
  /** The scopes asked for when the app names none. */
  readonly defaultScopes: readonly string[]
  /** True when the endpoints come from OpenID Connect discovery, false when they are fixed. */
  readonly discovery: boolean
  /** Whether the device grant (`@keyway/device`) can be used. */
  readonly deviceGrant: DeviceGrantSupport
  /** Whether the app needs a client secret; see {@link ClientSecretNeed}. */
  readonly clientSecret: ClientSecretNeed
  /** The host to give `loopback({ host })`: always the IP literal `127.0.0.1` (RFC 8252 §8.3). */
  readonly loopbackHost: '127.0.0.1'
  /**
   * True when the provider refuses `localhost` redirect URIs, so `127.0.0.1` is not only the
   * better choice but the only one that works (Spotify).
   */
  readonly refusesLocalhost: boolean
  /**
   * The username git sends with an access token as the password over HTTPS, when the forge
   * expects one (`x-access-token` for GitHub, `oauth2` for GitLab and most OIDC forges);
   * `keyway git-credential` answers with it.
   */
  readonly gitUsername?: string
  /** Where a developer registers the app and its redirect URI, when there is one place. */
  readonly registrationUrl?: string
  /** What to know when registering the app and asking for scopes, one sentence each. */
  readonly notes: readonly string[]
  /**
   * How the preset passes a `resource` on, by default: `resource` (RFC 8707 resource
   * indicators) or `audience`. Absent when the provider takes none (it names its APIs by
   * scope), and the preset refuses a `resource`.
   */
  readonly resourceParameter?: ResourceParameterName
}

/**
 * A provider preset: what to know about the provider, and `options()`, which turns the app's
 * registration into options for `createKeyway()` with the provider's endpoints and quirks.
 *
 * @typeParam Input - what `options()` takes.
 */
export interface ProviderPreset<Input extends ProviderInput | GenericInput = ProviderInput>
  extends ProviderInfo {
  /**
   * The options for `createKeyway()`: spread them and add a transport and a store.
   *
   * @throws `config_error` when the input is wrong for this provider.
   */
  options(input: Input): ProviderOptions
}
