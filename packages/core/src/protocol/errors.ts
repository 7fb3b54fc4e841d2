import { KeywayError, type KeywayErrorCode, KeywayErrorCodes } from '../errors.js'

/** Which protocol step failed: it decides what an OAuth error means. */
export type ProtocolStep = 'discovery' | 'exchange' | 'refresh' | 'revoke' | 'device'

const stepNames: Record<ProtocolStep, string> = {
  discovery: 'Reading the provider metadata',
  exchange: 'Exchanging the authorization code',
  refresh: 'Refreshing the access token',
  revoke: 'Revoking the token',
  device: 'The device authorization',
}

const retryAfter = new WeakMap<KeywayError, number>()

/** The delay (ms) a `Retry-After` header asked for on the response behind `error`, if any. */
export function retryAfterOf(error: KeywayError): number | undefined {
  return retryAfter.get(error)
}

/**
 * A stand-in for a library error, kept as `cause`: its name, code and message only. The
 * originals hold response bodies and callback parameters, which hold tokens and codes.
 */
export class ProtocolErrorCause extends Error {
  override readonly name: string
  readonly code: string | undefined

  constructor(original: { name?: unknown; code?: unknown; message?: unknown }) {
    super(typeof original.message === 'string' ? original.message : 'unknown error')
    this.name = typeof original.name === 'string' ? original.name : 'Error'
    this.code = typeof original.code === 'string' ? original.code : undefined
  }
}

interface OAuthErrorLike extends Error {
  readonly name: string
  readonly error: string
  readonly error_description?: string
  readonly status?: number
}

function isOAuthError(error: unknown): error is OAuthErrorLike {
  return (
    error instanceof Error &&
    (error.name === 'ResponseBodyError' || error.name === 'AuthorizationResponseError') &&
    typeof (error as unknown as OAuthErrorLike).error === 'string'
  )
}

/**
 * An OAuth error sent with HTTP 200 (GitHub does), as openid-client reports it: an invalid
 * token response whose body has `error` and no `access_token`. Read as the error it names.
 */
function oauthErrorInBody(error: unknown): OAuthErrorLike | undefined {
  if (
    !(error instanceof Error) ||
    (error as { code?: unknown }).code !== 'OAUTH_INVALID_RESPONSE'
  ) {
    return undefined
  }
  const body = ((error.cause as { cause?: unknown } | undefined)?.cause as { body?: unknown })?.body
  if (typeof body !== 'object' || body === null || 'access_token' in body) return undefined
  const { error: code, error_description: description } = body as Record<string, unknown>
  if (typeof code !== 'string') return undefined
  return Object.assign(new Error(`${code} in an HTTP 200 answer`), {
    name: 'ResponseBodyError',
    error: code,
    ...(typeof description === 'string' ? { error_description: description } : {}),
    status: 200,
  })
}

function oauthErrorCode(step: ProtocolStep, error: string): KeywayErrorCode {
  if (error === 'access_denied') return KeywayErrorCodes.accessDenied
  if (step === 'refresh' && error === 'invalid_grant') return KeywayErrorCodes.loginRequired
  if (step === 'device' && error === 'expired_token') return KeywayErrorCodes.timeout
  return KeywayErrorCodes.providerError
}

function fromOAuthError(step: ProtocolStep, original: OAuthErrorLike): KeywayError {
  const code = oauthErrorCode(step, original.error)
  const description = original.error_description
  const said = description === undefined ? original.error : `${original.error}: ${description}`
  const lead =
    code === KeywayErrorCodes.loginRequired
      ? 'The grant is no longer valid; the person must log in again'
      : `${stepNames[step]} failed`
  return new KeywayError(code, `${lead} (the provider said ${said}).`, {
    cause: new ProtocolErrorCause(original),
    error: original.error,
    ...(description === undefined ? {} : { errorDescription: description }),
    ...(original.status === undefined ? {} : { status: original.status }),
  })
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function fromHttpStatus(step: ProtocolStep, original: Error, response: Response): KeywayError {
  const { status } = response
  const transient = status >= 500 || status === 429
  const error = new KeywayError(
    transient ? KeywayErrorCodes.network : KeywayErrorCodes.invalidResponse,
    `${stepNames[step]} failed: the provider answered HTTP ${status}${transient ? '' : ' without an OAuth error'}.`,
    { cause: new ProtocolErrorCause(original), status },
  )
  const delay = parseRetryAfter(response.headers.get('retry-after'), Date.now())
  if (delay !== undefined) retryAfter.set(error, delay)
  return error
}

/** A request that was cut off: a timeout or abort, raw or as openid-client wraps it. */
function isAbort(error: Error): boolean {
  const code = (error as { code?: unknown }).code
  return (
    error.name === 'AbortError' ||
    error.name === 'TimeoutError' ||
    code === 'OAUTH_TIMEOUT' ||
    code === 'OAUTH_ABORT'
  )
}

/**
 * Maps whatever a protocol step threw (openid-client's errors, fetch's `TypeError`, aborts)
 * to a `KeywayError` whose message and cause hold no secret.
 *
 * @param signal - the caller's signal: when it is aborted, the error is `aborted` (or
 *   `timeout`) whatever the request reported.
 */
export function toProtocolError(
  step: ProtocolStep,
  error: unknown,
  signal?: AbortSignal,
): KeywayError {
  if (error instanceof KeywayError) return error
  if (signal?.aborted) {
    const reason: unknown = signal.reason
    if (reason instanceof KeywayError) return reason
    const timedOut = reason instanceof Error && reason.name === 'TimeoutError'
    return new KeywayError(
      timedOut ? KeywayErrorCodes.timeout : KeywayErrorCodes.aborted,
      `${stepNames[step]} was ${timedOut ? 'timed out' : 'cancelled'}.`,
      { cause: reason },
    )
  }
  const inBody = oauthErrorInBody(error)
  if (inBody !== undefined) return fromOAuthError(step, inBody)
  if (isOAuthError(error)) {
    const response = (error as { response?: unknown }).response
    const status = error.status ?? 0
    // An OAuth error body on a 429 or 5xx is still the server being busy or broken: retry it.
    if ((status === 429 || status >= 500) && response instanceof Response) {
      return fromHttpStatus(step, error, response)
    }
    return fromOAuthError(step, error)
  }
  if (error instanceof Error) {
    const cause: unknown = error.cause
    if (cause instanceof Response) return fromHttpStatus(step, error, cause)
    if (isAbort(error)) {
      return new KeywayError(
        KeywayErrorCodes.network,
        `${stepNames[step]} failed: the provider did not answer in time.`,
        { cause: new ProtocolErrorCause(error) },
      )
    }
    if (error.name === 'TypeError' && /fetch failed|network|socket|ECONN/i.test(error.message)) {
      return new KeywayError(
        KeywayErrorCodes.network,
        `${stepNames[step]} failed: the provider could not be reached.`,
        {
          cause: new ProtocolErrorCause({ name: error.name, message: describeNetworkCause(error) }),
        },
      )
    }
    return new KeywayError(
      KeywayErrorCodes.invalidResponse,
      `${stepNames[step]} failed: ${error.message}.`,
      { cause: new ProtocolErrorCause(error) },
    )
  }
  return new KeywayError(KeywayErrorCodes.invalidResponse, `${stepNames[step]} failed.`)
}

function describeNetworkCause(error: Error): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : ''
  return `${error.message}${code}`
}
