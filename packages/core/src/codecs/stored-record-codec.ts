import * as t from 'io-ts'
import { decodeStoredRecord, type StoredRecordJson } from './stored-record.js'

/**
 * The stored record's schema as an io-ts codec: what a store persists for one grant, the
 * tokens with a schema version and the time they were saved. It decodes with
 * `decodeStoredRecord`, the one decoder of that schema, so the two cannot drift apart.
 */
export const StoredRecord = new t.Type<StoredRecordJson, StoredRecordJson, unknown>(
  'StoredRecord',
  (input): input is StoredRecordJson => decodeStoredRecord(input)._tag === 'Right',
  (input, context) => {
    const decoded = decodeStoredRecord(input)
    return decoded._tag === 'Right'
      ? t.success(decoded.right)
      : t.failure(input, context, decoded.left.message)
  },
  (record) => record,
)

/** The decoded form of {@link StoredRecord}. */
export type StoredRecord = StoredRecordJson
