import * as t from 'io-ts'
import { EpochMillis, NonEmptyString } from './primitives.js'
import { STORED_RECORD_VERSION } from './stored-record.js'

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
 * The stored record's schema as an io-ts codec: what a store persists for one grant, the
 * tokens with a schema version and the time they were saved.
 *
 * Stores read records with `fromStoredRecord` from `@keyway/core`, a small decoder that
 * keeps io-ts off the path of a program that only reads a valid token; Keyway's tests hold
 * that decoder to this codec on generated input, so the two cannot drift apart.
 */
export const StoredRecord = t.type({
  version: t.literal(STORED_RECORD_VERSION),
  savedAt: EpochMillis,
  tokens: StoredTokenSet,
})

/** The decoded form of {@link StoredRecord}. */
export type StoredRecord = t.TypeOf<typeof StoredRecord>
