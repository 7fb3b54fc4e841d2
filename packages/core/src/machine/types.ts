import type { KeywayError } from '../errors.js'
import type { Callback, CodeSession } from '../ports/transport.js'
import type { AuthorizationAttempt } from '../protocol/authorization.js'
import type { Sealed } from '../sealed.js'
import type { TokenSet } from '../tokens.js'

/**
 * A login between `authorizing` and `exchanging`: the open transport session, the attempt
 * (state, PKCE verifier) and the callback it received; or, from the device grant, tokens.
 */
export type PendingLogin =
  | {
      readonly kind: 'code'
      readonly transport: string
      readonly session: CodeSession
      readonly attempt: AuthorizationAttempt
      readonly callback: Callback
      /** The code the callback carries, checked against the attempt. */
      readonly code: string
    }
  | { readonly kind: 'tokens'; readonly transport: string; readonly tokens: TokenSet }

/**
 * The machine's context. Secrets sit only inside `Sealed` boxes, so the inspector and any
 * snapshot show a redacted summary.
 */
export interface KeywayContext {
  /** The current tokens, sealed. */
  readonly tokens: Sealed<TokenSet> | undefined
  /**
   * True while the current tokens are newer than what the store holds: their save failed.
   * The next refresh saves them first, and no older stored record may replace them.
   */
  readonly unsaved: boolean
  /** The login being completed, sealed; only in `exchanging`. */
  readonly pending: Sealed<PendingLogin> | undefined
  /** The last error; cleared by success. */
  readonly error: KeywayError | undefined
  /** When the next refresh is due (epoch ms), when one is planned. */
  readonly refreshAt: number | undefined
  /** Refreshes that failed in a row for reasons other than a dead grant. */
  readonly refreshFailures: number
  /** The refresh margin, in ms. */
  readonly refreshMargin: number
  /** Time and chance, injectable for tests. */
  readonly clock: MachineClock
}

/** The machine's sources of time (epoch ms) and of randomness (for jitter). */
export interface MachineClock {
  now(): number
  random(): number
}

/** What the machine is started with; every field has a default. */
export interface KeywayMachineInput {
  /** Refresh this long before expiry, in ms (clamped to half the lifetime). Default 60 000. */
  readonly refreshMargin?: number
  /** Time and chance; `Date.now` and `Math.random` when not given. */
  readonly clock?: MachineClock
  /**
   * Tokens already read from the store (by `createKeyway()`'s cold start). The machine still
   * reads the store at start, since another process may have refreshed since; these are
   * kept when that read fails (the store is down), so an outage costs no valid token.
   */
  readonly tokens?: Sealed<TokenSet>
}

/** What the `refresh` and `resave` actors are given: the tokens held, and whether the store has them. */
export interface RefreshInput {
  readonly tokens: Sealed<TokenSet>
  /** The held tokens' save failed: save them (and never take an older stored record). */
  readonly unsaved: boolean
}

/**
 * What the `refresh` actor ends with: the tokens to hold from now on, and, when saving them
 * failed, why. Tokens the provider issued are never dropped: the old refresh token may be
 * dead already, so unsaved tokens are held and saved at the next attempt.
 */
export interface RefreshOutput {
  readonly tokens: Sealed<TokenSet>
  readonly saveError?: KeywayError
}

/** The events the machine accepts. */
export type KeywayEvent =
  /**
   * Start an interactive login (from `idle`, `failed`, `loginRequired` or `authorized`). A
   * login that fails or is cancelled while a grant is held returns to `authorized` with it.
   */
  | { readonly type: 'login' }
  /** Stop the login in progress; `error` says why (`aborted` or `timeout`). */
  | { readonly type: 'login.cancel'; readonly error: KeywayError }
  /** Refresh now, e.g. because a caller needs a token that has expired. */
  | { readonly type: 'token.refresh' }
  /** Revoke and forget the grant. */
  | { readonly type: 'logout' }

/** The events the machine emits for the app. */
export type KeywayEmitted =
  /** New tokens were saved to the store. */
  | { readonly type: 'tokens'; readonly tokens: Sealed<TokenSet> }
  /** The grant is gone; an interactive login is needed. */
  | { readonly type: 'loginRequired'; readonly error: KeywayError }
  /** Something failed (login, refresh, store). */
  | { readonly type: 'error'; readonly error: KeywayError }
