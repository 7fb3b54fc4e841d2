import { type AuthorizationRequest, type KeywayError, KeywayErrorCodes } from '@keyway/core'
import { checkCallback, parseCallbackParams } from '@keyway/core/codecs'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'

/** What a request to the callback path means for the login waiting on it. */
export type Verdict =
  /** Not this login's answer (wrong, missing or repeated `state`): refuse it, keep waiting. */
  | { readonly kind: 'foreign' }
  /** This login's answer, with a code to exchange. */
  | { readonly kind: 'code' }
  /** This login's answer, and it ends the login: the provider's error, or a wrong `iss`. */
  | { readonly kind: 'refused'; readonly error: KeywayError }

const foreign: Verdict = { kind: 'foreign' }

/**
 * Judges a callback query against the request being waited on (none yet: nothing is ours).
 * Only a matching `state` can end the login, so a forged request (CSRF) is refused without
 * disturbing it; a malformed query is refused the same way, as its `state` cannot be trusted.
 */
export function judgeCallback(
  query: URLSearchParams,
  request: AuthorizationRequest | undefined,
): Verdict {
  if (request === undefined) return foreign
  return pipe(
    parseCallbackParams(query),
    E.mapLeft((): Verdict => foreign),
    E.flatMap((params) =>
      pipe(
        checkCallback(params, request),
        E.mapLeft(
          (error): Verdict =>
            error.code === KeywayErrorCodes.stateMismatch ? foreign : { kind: 'refused', error },
        ),
      ),
    ),
    E.match(
      (verdict) => verdict,
      (): Verdict => ({ kind: 'code' }),
    ),
  )
}
