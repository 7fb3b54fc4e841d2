import { KeywayError, type KeywayErrorCode, KeywayErrorCodes } from '../errors.js'
import {
  type ChallengeError,
  challengedOAuthError,
  challengeSchemes,
  isChallengeError,
  type StatedOAuthError,
  statedOAuthError,
} from './challenge.js'
import { ProtocolErrorCause } from './error-cause.js'
import { answeredUrl } from './fetch.js'
import { RequestFailure } from './request-failure.js'
import { adviseNoRetry, adviseRetryAfter } from './retry-advice.js'

/** Which protocol step failed: it decides what an OAuth error means. */
export type ProtocolStep = 'discovery' | 'exchange' | 'refresh' | 'revoke' | 'device'

const stepNames: Record<ProtocolStep, string> = {
  discovery: 'Reading the provider metadata',
  exchange: 'Exchanging the authorization code',
  refresh: 'Refreshing the access token',
  revoke: 'Revoking the token',
  device: 'The device authorization',
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

/** What the provider said, the HTTP status it said it with, and the error that reported it. */
interface ProviderStatement extends StatedOAuthError {
  readonly status?: number
  readonly reportedBy: Error
}

/**
 * An OAuth error sent with HTTP 200 (GitHub does), as openid-client reports it: an invalid
 * token response whose body has `error` and no `access_token`. Read as the error it names.
 */
function oauthErrorInBody(error: unknown): ProviderStatement | undefined {
  if (
    !(error instanceof Error) ||
    (error as { code?: unknown }).code !== 'OAUTH_INVALID_RESPONSE'
  ) {
    return undefined
  }
  const body = ((error.cause as { cause?: unknown } | undefined)?.cause as { body?: unknown })?.body
  if (typeof body !== 'object' || body === null || 'access_token' in body) return undefined
  const stated = statedOAuthError(body)
  if (stated === undefined) return undefined
  const reportedBy = Object.assign(new Error(`${stated.error} in an HTTP 200 answer`), {
    name: 'ResponseBodyError',
  })
  return { ...stated, status: 200, reportedBy }
}

function statementOf(error: OAuthErrorLike): ProviderStatement {
  const { error_description: description, status } = error
  return {
    error: error.error,
    ...(description === undefined ? {} : { error_description: description }),
    ...(status === undefined ? {} : { status }),
    reportedBy: error,
  }
}

function oauthErrorCode(step: ProtocolStep, error: string): KeywayErrorCode {
  if (error === 'access_denied') return KeywayErrorCodes.accessDenied
  if (step === 'refresh' && error === 'invalid_grant') return KeywayErrorCodes.loginRequired
  if (step === 'device' && error === 'expired_token') return KeywayErrorCodes.timeout
  return KeywayErrorCodes.providerError
}

function fromOAuthError(step: ProtocolStep, statement: ProviderStatement): KeywayError {
  const code = oauthErrorCode(step, statement.error)
  const description = statement.error_description
  const said = description === undefined ? statement.error : `${statement.error}: ${description}`
  const lead =
    code === KeywayErrorCodes.loginRequired
      ? 'The grant is no longer valid; the person must log in again'
      : `${stepNames[step]} failed`
  return new KeywayError(code, `${lead} (the provider said ${said}).`, {
    cause: new ProtocolErrorCause(statement.reportedBy),
    error: statement.error,
    ...(description === undefined ? {} : { errorDescription: description }),
    ...(statement.status === undefined ? {} : { status: statement.status }),
  })
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** True for statuses that mean the server is busy or broken for now: 5xx and 429. */
function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429
}

function fromHttpStatus(step: ProtocolStep, original: Error, response: Response): KeywayError {
  const { status } = response
  const transient = isTransientStatus(status)
  const error = new KeywayError(
    transient ? KeywayErrorCodes.network : KeywayErrorCodes.invalidResponse,
    `${stepNames[step]} failed: ${answeredUrl(response) ?? 'the provider'} answered HTTP ${status}${transient ? '' : ' without an OAuth error'}.`,
    { cause: new ProtocolErrorCause(original), status },
  )
  const delay = parseRetryAfter(response.headers.get('retry-after'), Date.now())
  if (delay !== undefined) adviseRetryAfter(error, delay)
  return error
}

/**
 * A response with a `WWW-Authenticate` challenge, which openid-client reports before reading
 * the body: the OAuth error in the body or in the challenge (a token endpoint's 401
 * `invalid_client`) is what the provider said; a challenge alone is still the provider
 * refusing the client's credentials.
 */
function fromChallenge(step: ProtocolStep, error: ChallengeError): KeywayError {
  const status = typeof error.status === 'number' ? error.status : undefined
  const stated = challengedOAuthError(error)
  if (stated !== undefined) {
    return fromOAuthError(step, {
      ...stated,
      ...(status === undefined ? {} : { status }),
      reportedBy: error,
    })
  }
  const schemes = challengeSchemes(error).join(', ') || 'WWW-Authenticate'
  const answered = status === undefined ? 'a' : `HTTP ${status} and a`
  return new KeywayError(
    KeywayErrorCodes.providerError,
    `${stepNames[step]} failed: the provider refused the client's credentials (${answered} ${schemes} challenge, no OAuth error).`,
    { cause: new ProtocolErrorCause(error), ...(status === undefined ? {} : { status }) },
  )
}

/** The first error along `error`'s cause chain that is a `kind` (openid-client wraps them). */
function errorIn<T extends Error>(
  error: unknown,
  kind: abstract new (...args: never[]) => T,
): T | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof kind) return current
    current = current.cause
  }
  return undefined
}

/**
 * A request that failed at the HTTP level, as Keyway's fetch classified it: a body over the
 * size limit is an invalid response; the rest is `network`, retried unless the host name
 * does not resolve.
 */
function fromRequestFailure(step: ProtocolStep, failure: RequestFailure): KeywayError {
  const code =
    failure.kind === 'tooLarge' ? KeywayErrorCodes.invalidResponse : KeywayErrorCodes.network
  const error = new KeywayError(code, `${stepNames[step]} failed: ${failure.message}.`, {
    cause: failure,
  })
  if (failure.kind === 'unresolved') adviseNoRetry(error)
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

/** The response behind an openid-client error about one, when it kept it. */
function responseOf(error: Error): Response | undefined {
  const response = (error as { response?: unknown }).response
  return response instanceof Response ? response : undefined
}

/**
 * Maps whatever a protocol step threw (openid-client's errors, Keyway's fetch's
 * {@link RequestFailure}s, aborts) to a `KeywayError` whose message and cause hold no secret.
 *
 * @param signal - the caller's signal: when it is aborted, the error is `aborted` (or
 *   `timeout`) whatever the request reported.
 */
export function toProtocolError(
  step: ProtocolStep,
  error: unknown,
  signal?: AbortSignal,
): KeywayError {
  // Keyway's own verdict (a bad proxy variable), even where openid-client wrapped it.
  const own = errorIn(error, KeywayError)
  if (own !== undefined) return own
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
  const failure = errorIn(error, RequestFailure)
  if (failure !== undefined) return fromRequestFailure(step, failure)
  const inBody = oauthErrorInBody(error)
  if (inBody !== undefined) return fromOAuthError(step, inBody)
  if (isOAuthError(error) || isChallengeError(error)) {
    const response = responseOf(error)
    // An OAuth error or a challenge on a 429 or 5xx is still the server being busy or
    // broken: retry it.
    if (response !== undefined && isTransientStatus(response.status)) {
      return fromHttpStatus(step, error, response)
    }
    return isChallengeError(error)
      ? fromChallenge(step, error)
      : fromOAuthError(step, statementOf(error))
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
    return new KeywayError(
      KeywayErrorCodes.invalidResponse,
      `${stepNames[step]} failed: ${error.message}.`,
      { cause: new ProtocolErrorCause(error) },
    )
  }
  return new KeywayError(KeywayErrorCodes.invalidResponse, `${stepNames[step]} failed.`)
}
