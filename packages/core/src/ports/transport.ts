import type { KeywayError } from '../errors.js'
import type { TokenSet } from '../tokens.js'

/** What a code transport is given when a login attempt opens it. */
export interface TransportContext {
  /** Aborted when the login is cancelled, times out, or another transport won a race. */
  readonly signal: AbortSignal
  /**
   * A redirect URI already chosen by another transport in the same race. A transport that
   * can receive on any URI (paste) adopts it; one that cannot (loopback) ignores it.
   */
  readonly redirectUri?: string
}

/** The authorization request a code transport presents to the person. */
export interface AuthorizationRequest {
  /** The full authorization URL. Print it whole, on a line of its own. */
  readonly url: URL
  /** The `state` of this attempt: a callback with another state is not ours. */
  readonly state: string
  /** The issuer identifier a callback's `iss` must equal. */
  readonly issuer: string
  /** True when the provider promises `iss` in every authorization response (RFC 9207). */
  readonly issRequired: boolean
  /** Aborted when the attempt ends for any reason. */
  readonly signal: AbortSignal
}

/**
 * What a code transport delivers: the whole redirect URL (its query is checked for `state`,
 * `error` and `iss`), or a bare authorization code typed or pasted by the person.
 */
export type Callback =
  | { readonly kind: 'redirect'; readonly url: URL }
  | { readonly kind: 'code'; readonly code: string }

/** How a login attempt ended, told to the transport so it can show the person. */
export type LoginOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: KeywayError }

/** One opened code transport, for one login attempt. */
export interface CodeSession {
  /** The redirect URI to put in the authorization request. */
  readonly redirectUri: string
  /**
   * Shows the authorization URL (prints it, opens a browser) and resolves with the first
   * valid callback. Interactive transports refuse a callback with a wrong `state` themselves
   * and keep waiting; they reject with a `KeywayError` when the provider sent an error.
   */
  receive(request: AuthorizationRequest): Promise<Callback>
  /** Called once the code was exchanged, or failed to be, so the person can be told. */
  finish(outcome: LoginOutcome): Promise<void>
  /** Frees everything the session holds (sockets, input streams). Safe to call twice. */
  close(): Promise<void>
}

/**
 * A transport that brings back an authorization code: loopback (the browser redirects to a
 * local server), paste (the person pastes the redirect URL), or a race of several.
 */
export interface CodeTransport {
  readonly kind: 'code'
  /** A short name for messages and the inspector, e.g. `loopback`. */
  readonly name: string
  /** Prepares to receive one callback (binds a port, opens input) and says on which URI. */
  open(context: TransportContext): Promise<CodeSession>
}

/** What a device authorization server answered (RFC 8628 §3.2), for display. */
export interface DeviceAuthorization {
  readonly userCode: string
  readonly verificationUri: string
  readonly verificationUriComplete?: string
  /** When the device code expires (epoch ms). */
  readonly expiresAt: number
  /** The polling interval the server asked for, in milliseconds. */
  readonly interval: number
}

/** The device grant's protocol steps, performed by core for a token transport. */
export interface DeviceGrantProtocol {
  /** Starts a device authorization for the configured client and scopes. */
  start(signal: AbortSignal): Promise<DeviceAuthorization>
  /**
   * Polls the token endpoint at the server's interval (slowing down when told) until the
   * person approves (tokens), denies (`access_denied`) or the code expires (`timeout`).
   */
  poll(authorization: DeviceAuthorization, signal: AbortSignal): Promise<TokenSet>
}

/** What a token transport is given when a login attempt runs it. */
export interface TokenTransportContext {
  readonly signal: AbortSignal
  readonly device: DeviceGrantProtocol
}

/** A transport that yields tokens itself instead of a code: the device grant. */
export interface TokenTransport {
  readonly kind: 'tokens'
  readonly name: string
  authorize(context: TokenTransportContext): Promise<TokenSet>
}

/** Any transport `createKeyway` accepts. */
export type Transport = CodeTransport | TokenTransport
