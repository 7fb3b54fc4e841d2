import type { Actor, InspectionEvent, Observer } from 'xstate'
import type {
  AuthorizationHeaders,
  AuthorizationHeadersOptions,
} from '../dpop/resource-requests.js'
import type { KeywayError } from '../errors.js'
import type { KeywayMachine } from '../machine/machine.js'
import type { TokenSet } from '../tokens.js'

/** The top-level states of Keyway's machine. */
export type KeywayState =
  | 'restoring'
  | 'idle'
  | 'authorizing'
  | 'exchanging'
  | 'authorized'
  | 'refreshing'
  | 'loginRequired'
  | 'failed'
  | 'loggingOut'

/** The events a Keyway instance tells the app about, and what each listener receives. */
export interface KeywayEvents {
  /** New tokens were saved to the store. */
  tokens: TokenSet
  /** The grant is gone (revoked, expired, `invalid_grant`): an interactive login is needed. */
  loginRequired: KeywayError
  /** Something failed: a login, a refresh, a store read; the error says what. */
  error: KeywayError
}

/** Options for {@link Keyway.login}. */
export interface LoginOptions {
  /** Cancels the login: it rejects with `aborted` (or `timeout` for `AbortSignal.timeout`). */
  readonly signal?: AbortSignal
  /** Gives up after this many milliseconds with `timeout`. */
  readonly timeout?: number
}

/** Options for {@link Keyway.getAccessToken} and {@link Keyway.getTokens}. */
export interface TokenOptions {
  /** Stops waiting (the shared refresh goes on for the others). */
  readonly signal?: AbortSignal
  /** Refresh first when the token has less than this many ms left. */
  readonly minTtl?: number
  /** Refresh now, whatever the token's expiry. */
  readonly forceRefresh?: boolean
}

/** Extra options of {@link createKeyway} that are not about the protocol. */
export interface KeywayRuntimeOptions {
  /** Receives the machine's inspection events: pass `createBrowserInspector().inspect`. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void)
}

/** A running Keyway: one grant, kept fresh. See {@link createKeyway}. */
export interface Keyway {
  /** Runs an interactive login; resolves once the tokens are saved in the store. */
  login(options?: LoginOptions): Promise<TokenSet>
  /**
   * A valid access token: from memory with no I/O while it is fresh, else after one shared
   * refresh. Never starts a login: with no grant it rejects with `login_required`.
   */
  getAccessToken(options?: TokenOptions): Promise<string>
  /** Like {@link Keyway.getAccessToken}, with the whole token set. */
  getTokens(options?: TokenOptions): Promise<TokenSet>
  /**
   * The headers that present a valid access token (see {@link Keyway.getTokens}) on one
   * request to a resource server: `authorization`, and for a DPoP-bound grant `dpop`, a proof
   * made for this `method` and `url` alone (a proof is single-use: ask again per request).
   *
   * @example
   * ```ts
   * const headers = await kw.authorizationHeaders('GET', 'https://api.example.com/me')
   * const response = await fetch('https://api.example.com/me', { headers: { ...headers } })
   * ```
   */
  authorizationHeaders(
    method: string,
    url: string | URL,
    options?: AuthorizationHeadersOptions,
  ): Promise<AuthorizationHeaders>
  /**
   * `fetch` with a valid access token presented (see {@link Keyway.authorizationHeaders}):
   * for a DPoP-bound grant a fresh proof per request, the server's `DPoP-Nonce` kept per
   * origin, and a `use_dpop_nonce` challenge answered once. It is sent with the `fetch` given
   * to `createKeyway()`, or the default one (which honours `HTTPS_PROXY`).
   *
   * @example
   * ```ts
   * const response = await kw.fetch('https://api.example.com/me')
   * ```
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>
  /** Revokes the grant where the provider allows it and clears the store; ends in `idle`. */
  logout(): Promise<void>
  /** Listens to an app event; returns the function that stops listening. */
  on<K extends keyof KeywayEvents>(event: K, listener: (value: KeywayEvents[K]) => void): () => void
  /** The machine's top-level state. */
  readonly state: KeywayState
  /** Resolves once the stored tokens (if any) have been read. */
  ready(): Promise<KeywayState>
  /** Observes every snapshot of the machine. */
  subscribe(listener: (state: KeywayState) => void): { unsubscribe(): void }
  /**
   * The running xstate actor, for inspection and composition. The machine starts on first
   * need (a refresh, a login, this property): a program that only reads a valid stored
   * token never loads it.
   */
  readonly actor: Actor<KeywayMachine>
  /**
   * Stops the timers and the actor; pending calls reject with `aborted`. The promise settles
   * once work cut short has let go of what it held (a store lock): await it before closing
   * the store.
   */
  stop(): Promise<void>
}
