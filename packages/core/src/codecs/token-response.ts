import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import type { DPoPKeyJwk } from '../dpop/key.js'
import type { KeywayError } from '../errors.js'
import type { TokenSet } from '../tokens.js'
import { decodeWith } from './decode.js'
import { NonEmptyString, Seconds } from './primitives.js'

/**
 * A token endpoint's successful answer (RFC 6749 §5.1), as Keyway accepts it: `expires_in`
 * may be missing or a numeric string, as several providers send it.
 */
export const TokenEndpointResponse = t.intersection([
  t.type({ access_token: NonEmptyString, token_type: NonEmptyString }),
  t.partial({
    expires_in: Seconds,
    refresh_token: NonEmptyString,
    scope: t.string,
    id_token: NonEmptyString,
  }),
])

/** The decoded form of {@link TokenEndpointResponse}. */
export type TokenEndpointResponse = t.TypeOf<typeof TokenEndpointResponse>

const decodeTokenResponse = decodeWith(TokenEndpointResponse, 'token response')

const canonicalTypes: Readonly<Record<string, string>> = { bearer: 'Bearer', dpop: 'DPoP' }

/**
 * The token type as the `Authorization` header spells it: `Bearer` and `DPoP` in their
 * registered case (openid-client hands them over lower-cased), anything else as received.
 */
function canonicalTokenType(type: string): string {
  return canonicalTypes[type.toLowerCase()] ?? type
}

/**
 * Turns a token endpoint response into a {@link TokenSet}.
 *
 * @param sentAt - when the request was sent (epoch ms): `expires_in` counts from then, so a
 *   slow answer never makes a token look fresher than it is.
 * @param previous - the tokens being refreshed: a response without a refresh token keeps the
 *   previous one, and one without `scope` keeps the previous scope.
 * @param dpopKey - the DPoP key the request proved possession of: kept with the tokens when
 *   the provider bound them to it (`token_type` `DPoP`).
 */
export function toTokenSet(
  response: unknown,
  sentAt: number,
  previous?: TokenSet,
  dpopKey?: DPoPKeyJwk,
): E.Either<KeywayError, TokenSet> {
  return pipe(
    decodeTokenResponse(response),
    E.map((body): TokenSet => {
      const refreshToken = body.refresh_token ?? previous?.refreshToken
      const scope = body.scope ?? previous?.scope
      const tokenType = canonicalTokenType(body.token_type)
      const tokens: TokenSet = {
        accessToken: body.access_token,
        tokenType,
        ...(body.expires_in === undefined
          ? {}
          : { expiresAt: sentAt + Math.round(body.expires_in * 1000) }),
        ...(refreshToken === undefined ? {} : { refreshToken }),
        ...(body.id_token === undefined ? {} : { idToken: body.id_token }),
        ...(scope === undefined ? {} : { scope }),
        obtainedAt: sentAt,
      }
      // Bearer tokens (nearly all) pay nothing for DPoP: no check beyond this one.
      return dpopKey !== undefined && tokenType === 'DPoP' ? { ...tokens, dpopKey } : tokens
    }),
  )
}
