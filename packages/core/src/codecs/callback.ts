import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { KeywayError, KeywayErrorCodes } from '../errors.js'
import { decodeWith } from './decode.js'

/** The parameters of an authorization response (RFC 6749 §4.1.2, RFC 9207), as decoded. */
export const CallbackParams = t.partial({
  code: t.string,
  state: t.string,
  iss: t.string,
  error: t.string,
  error_description: t.string,
  error_uri: t.string,
})

/** The decoded form of {@link CallbackParams}. */
export type CallbackParams = t.TypeOf<typeof CallbackParams>

const decodeParams = decodeWith(CallbackParams, 'authorization response')

const KNOWN_PARAMS = new Set(['code', 'state', 'iss', 'error', 'error_description', 'error_uri'])

/**
 * Reads the authorization response from a redirect URL's query. A parameter given twice is
 * refused (RFC 6749 §3.1: parameters must not be repeated), since it is how a crafted URL
 * smuggles a second code or state past a check.
 */
export function parseCallbackParams(query: URLSearchParams): E.Either<KeywayError, CallbackParams> {
  const record: Record<string, string> = {}
  for (const [key, value] of query) {
    if (!KNOWN_PARAMS.has(key)) continue
    if (key in record) {
      return E.left(
        new KeywayError(
          KeywayErrorCodes.invalidResponse,
          `The authorization response repeats the "${key}" parameter.`,
        ),
      )
    }
    record[key] = value
  }
  return decodeParams(record)
}

/** What a callback must match to be accepted. */
export interface CallbackExpectation {
  /** The `state` sent with this attempt. */
  readonly state: string
  /** The provider's issuer identifier, to compare with `iss` when one is sent. */
  readonly issuer?: string
  /** True when the provider advertises RFC 9207, so `iss` must be present. */
  readonly issRequired?: boolean
}

/**
 * Checks an authorization response in the order that keeps a login safe: a wrong `state`
 * first (`state_mismatch`: the response is not ours, even when it carries an error), then the
 * provider's `error` (`access_denied` or `provider_error`), then `iss` (`invalid_response`),
 * and last the presence of a `code`. Returns the code.
 */
export function checkCallback(
  params: CallbackParams,
  expected: CallbackExpectation,
): E.Either<KeywayError, string> {
  if (params.state !== expected.state) {
    return E.left(
      new KeywayError(
        KeywayErrorCodes.stateMismatch,
        params.state === undefined
          ? 'The authorization response has no state: it was not sent for this login.'
          : 'The authorization response carries a state that this login did not send.',
      ),
    )
  }
  if (params.error !== undefined) return E.left(providerCallbackError(params))
  if (params.iss !== undefined && expected.issuer !== undefined && params.iss !== expected.issuer) {
    return E.left(
      new KeywayError(
        KeywayErrorCodes.invalidResponse,
        'The authorization response names another issuer (iss): it may be a mix-up attack.',
      ),
    )
  }
  if (params.iss === undefined && expected.issRequired === true) {
    return E.left(
      new KeywayError(
        KeywayErrorCodes.invalidResponse,
        'The authorization response lacks the iss parameter that this provider promises.',
      ),
    )
  }
  return pipe(
    params.code,
    E.fromPredicate(
      (code): code is string => code !== undefined && code.length > 0,
      () =>
        new KeywayError(
          KeywayErrorCodes.invalidResponse,
          'The authorization response has neither a code nor an error.',
        ),
    ),
  )
}

/** The {@link KeywayError} for an authorization response that carries `error`. */
export function providerCallbackError(params: CallbackParams): KeywayError {
  const error = params.error ?? 'unknown_error'
  const description = params.error_description
  const code =
    error === 'access_denied' ? KeywayErrorCodes.accessDenied : KeywayErrorCodes.providerError
  const lead =
    code === KeywayErrorCodes.accessDenied
      ? 'The authorization was denied'
      : `The provider refused the authorization (${error})`
  return new KeywayError(code, description === undefined ? `${lead}.` : `${lead}: ${description}`, {
    error,
    ...(description === undefined ? {} : { errorDescription: description }),
  })
}
