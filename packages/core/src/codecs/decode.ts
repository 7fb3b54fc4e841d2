import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as t from 'io-ts'
import { KeywayError, type KeywayErrorCode, KeywayErrorCodes } from '../errors.js'

/**
 * Names the places where `errors` found bad input, as dotted paths (`tokens.expiresAt`),
 * never the values themselves: the input may be a token response.
 */
export function describeDecodeErrors(errors: t.Errors): string {
  const paths = new Set<string>()
  for (const error of errors) {
    const path = error.context
      .map((entry) => entry.key)
      .filter((key) => key !== '' && !/^\d+$/.test(key))
      .join('.')
    paths.add(path === '' ? '(root)' : path)
  }
  return [...paths].join(', ')
}

/**
 * Decodes untrusted input once, at the edge, into a `KeywayError` on failure.
 *
 * @param what - names the input in the error message, e.g. `'token response'`.
 * @param code - the error code to use; `invalid_response` by default.
 */
export function decodeWith<A, O>(
  codec: t.Type<A, O, unknown>,
  what: string,
  code: KeywayErrorCode = KeywayErrorCodes.invalidResponse,
): (input: unknown) => E.Either<KeywayError, A> {
  return (input) =>
    pipe(
      codec.decode(input),
      E.mapLeft(
        (errors) =>
          new KeywayError(code, `The ${what} is malformed at: ${describeDecodeErrors(errors)}.`),
      ),
    )
}

/** Like {@link decodeWith}, but throws the `KeywayError`: for the Promise-facing edges. */
export function decodeOrThrow<A, O>(
  codec: t.Type<A, O, unknown>,
  what: string,
  code?: KeywayErrorCode,
): (input: unknown) => A {
  const decode = decodeWith(codec, what, code)
  return (input) =>
    pipe(
      decode(input),
      E.getOrElseW((error) => {
        throw error
      }),
    )
}
