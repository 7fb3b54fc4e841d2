import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { TokenSet } from '../tokens.js'
import { decodeWith } from './decode.js'
import { EpochMillis, NonEmptyString } from './primitives.js'

/** The schema version written by this release of Keyway. */
export const STORED_RECORD_VERSION = 1

const StoredTokenSet = t.intersection([
  t.type({ accessToken: NonEmptyString, tokenType: NonEmptyString }),
  t.partial({
    expiresAt: EpochMillis,
    refreshToken: NonEmptyString,
    idToken: NonEmptyString,
    scope: t.string,
  }),
])

/**
 * What a store persists for one grant: the tokens with a schema version and the time they
 * were saved, so a later release can migrate old records instead of dropping them.
 */
export const StoredRecord = t.type({
  version: t.literal(STORED_RECORD_VERSION),
  savedAt: EpochMillis,
  tokens: StoredTokenSet,
})

/** The decoded form of {@link StoredRecord}. */
export type StoredRecord = t.TypeOf<typeof StoredRecord>

/** Wraps `tokens` in the current stored-record schema, ready for `JSON.stringify`. */
export function toStoredRecord(
  tokens: TokenSet,
  savedAt: number = Date.now(),
): t.OutputOf<typeof StoredRecord> {
  const { accessToken, tokenType, expiresAt, refreshToken, idToken, scope } = tokens
  return {
    version: STORED_RECORD_VERSION,
    savedAt,
    tokens: {
      accessToken,
      tokenType,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(refreshToken === undefined ? {} : { refreshToken }),
      ...(idToken === undefined ? {} : { idToken }),
      ...(scope === undefined ? {} : { scope }),
    },
  }
}

const decodeRecord = decodeWith(StoredRecord, 'stored token record', KeywayErrorCodes.storeError)

/**
 * Reads a stored record back into a {@link TokenSet}; a record that does not match the
 * schema is a `store_error` (the store then sets the data aside and reports it).
 */
export function fromStoredRecord(input: unknown): E.Either<KeywayError, TokenSet> {
  return pipe(
    decodeRecord(input),
    E.map((record): TokenSet => ({ ...record.tokens })),
  )
}

/** Serializes `tokens` as the JSON text stores write. */
export function serializeTokens(tokens: TokenSet, savedAt?: number): string {
  return JSON.stringify(toStoredRecord(tokens, savedAt))
}

/**
 * Parses JSON text written by {@link serializeTokens}; text that is not JSON is a
 * `store_error` too. The parser's own message is dropped: it quotes the text, which holds
 * tokens.
 */
export function parseStoredTokens(text: string): E.Either<KeywayError, TokenSet> {
  return pipe(
    E.tryCatch(
      (): unknown => JSON.parse(text),
      () => new KeywayError(KeywayErrorCodes.storeError, 'The stored token record is not JSON.'),
    ),
    E.flatMap(fromStoredRecord),
  )
}
