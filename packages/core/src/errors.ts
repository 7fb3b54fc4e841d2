/**
 * The codes a {@link KeywayError} can carry. Compare against these constants, never against
 * message text.
 *
 * @example
 * ```ts
 * import { KeywayError, KeywayErrorCodes } from '@keyway/core'
 * try {
 *   await kw.getAccessToken()
 * } catch (error) {
 *   if (error instanceof KeywayError && error.code === KeywayErrorCodes.loginRequired) {
 *     await kw.login()
 *   }
 * }
 * ```
 */
export const KeywayErrorCodes = {
  /** The person (or the provider on their behalf) refused the authorization. */
  accessDenied: 'access_denied',
  /** A callback arrived whose `state` is not the one this attempt sent. */
  stateMismatch: 'state_mismatch',
  /** The login or a request took longer than allowed. */
  timeout: 'timeout',
  /** The caller cancelled (an `AbortSignal`, `login.cancel`, or input that ended). */
  aborted: 'aborted',
  /** There is no usable grant: an interactive login is needed. */
  loginRequired: 'login_required',
  /** A fixed loopback port is taken by another program. */
  portInUse: 'port_in_use',
  /** The provider answered with something that is not a valid protocol response. */
  invalidResponse: 'invalid_response',
  /** The provider answered with an OAuth error other than `access_denied`. */
  providerError: 'provider_error',
  /** The provider could not be reached, or kept failing with 5xx / 429. */
  network: 'network',
  /** The token store failed to read or write. */
  storeError: 'store_error',
  /** The token store's backend is not there (no keychain, Redis down). */
  storeUnavailable: 'store_unavailable',
  /** The options given to Keyway are wrong. */
  configError: 'config_error',
} as const

/** One of the string values of {@link KeywayErrorCodes}. */
export type KeywayErrorCode = (typeof KeywayErrorCodes)[keyof typeof KeywayErrorCodes]

const knownCodes: ReadonlySet<string> = new Set(Object.values(KeywayErrorCodes))

/** Details a {@link KeywayError} may carry besides its code and message. */
export interface KeywayErrorDetails {
  /** The error that led to this one. */
  readonly cause?: unknown
  /** The provider's OAuth `error` value, when the provider sent one. */
  readonly error?: string
  /** The provider's `error_description`, when the provider sent one. */
  readonly errorDescription?: string
  /** The HTTP status of the response that failed, when there was one. */
  readonly status?: number
}

/**
 * The one error class Keyway throws or rejects with. Its `message` never contains a token,
 * a code, a verifier or a client secret.
 */
export class KeywayError extends Error {
  override readonly name = 'KeywayError'
  /** What went wrong, as one of {@link KeywayErrorCodes}. */
  readonly code: KeywayErrorCode
  /** The provider's OAuth `error`, e.g. `invalid_grant`, when there was one. */
  readonly error: string | undefined
  /** The provider's `error_description`, when there was one. */
  readonly errorDescription: string | undefined
  /** The HTTP status involved, when there was one. */
  readonly status: number | undefined

  constructor(code: KeywayErrorCode, message: string, details: KeywayErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.error = details.error
    this.errorDescription = details.errorDescription
    this.status = details.status
  }

  /** A plain summary for logs and inspector snapshots: code, message, provider error. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.error === undefined ? {} : { error: this.error }),
      ...(this.errorDescription === undefined ? {} : { errorDescription: this.errorDescription }),
      ...(this.status === undefined ? {} : { status: this.status }),
    }
  }
}

/** True when `value` is a {@link KeywayError}, optionally with the given code. */
export function isKeywayError(value: unknown, code?: KeywayErrorCode): value is KeywayError {
  return value instanceof KeywayError && (code === undefined || value.code === code)
}

/** True when `value` is one of the strings in {@link KeywayErrorCodes}. */
export function isKeywayErrorCode(value: unknown): value is KeywayErrorCode {
  return typeof value === 'string' && knownCodes.has(value)
}

/** Shorthand used across the packages to build a `config_error`. */
export function configError(message: string, cause?: unknown): KeywayError {
  return new KeywayError(KeywayErrorCodes.configError, message, { cause })
}

/**
 * The error an aborted signal stands for: `timeout` when the signal's reason is a
 * `TimeoutError` (as `AbortSignal.timeout()` gives), `aborted` otherwise. A reason that is
 * already a {@link KeywayError} is kept.
 */
export function abortError(signal: AbortSignal | undefined, what = 'The login'): KeywayError {
  const reason: unknown = signal?.reason
  if (reason instanceof KeywayError) return reason
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new KeywayError(KeywayErrorCodes.timeout, `${what} timed out.`, { cause: reason })
  }
  return new KeywayError(KeywayErrorCodes.aborted, `${what} was cancelled.`, { cause: reason })
}
