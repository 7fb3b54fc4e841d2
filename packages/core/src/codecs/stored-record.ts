import type { Either } from 'fp-ts/lib/Either.js'
import type { DPoPKeyJwk } from '../dpop/key.js'
import { left, right } from '../either.js'
import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { TokenSet } from '../tokens.js'

/** The schema version written by this release of Keyway. */
export const STORED_RECORD_VERSION = 1

/** A stored record as JSON holds it: the tokens, a schema version, when they were saved. */
export interface StoredRecordJson {
  readonly version: typeof STORED_RECORD_VERSION
  readonly savedAt: number
  readonly tokens: TokenSet
}

/** Wraps `tokens` in the current stored-record schema, ready for `JSON.stringify`. */
export function toStoredRecord(tokens: TokenSet, savedAt: number = Date.now()): StoredRecordJson {
  const { accessToken, tokenType, expiresAt, refreshToken, idToken, scope, obtainedAt, dpopKey } =
    tokens
  const stored: TokenSet = {
    accessToken,
    tokenType,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(idToken === undefined ? {} : { idToken }),
    ...(scope === undefined ? {} : { scope }),
    ...(obtainedAt === undefined ? {} : { obtainedAt }),
  }
  return {
    version: STORED_RECORD_VERSION,
    savedAt,
    tokens: dpopKey === undefined ? stored : { ...stored, dpopKey: dpopKeyFields(dpopKey) },
  }
}

type Field = (value: unknown) => boolean

const nonEmptyString: Field = (value) => typeof value === 'string' && value.trim().length > 0
const epochMillis: Field = (value) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const anyString: Field = (value) => typeof value === 'string'
const base64urlText: Field = (value) => typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value)

/** The fields of a stored DPoP key, and nothing else the object may carry. */
function dpopKeyFields(key: DPoPKeyJwk): DPoPKeyJwk {
  return { kty: key.kty, crv: key.crv, x: key.x, y: key.y, d: key.d }
}

const dpopKey: Field = (value) => {
  if (!isRecord(value)) return false
  const { kty, crv, x, y, d } = value
  return kty === 'EC' && crv === 'P-256' && [x, y, d].every(base64urlText)
}

const requiredTokenFields: Record<string, Field> = {
  accessToken: nonEmptyString,
  tokenType: nonEmptyString,
}
const optionalTokenFields: Record<string, Field> = {
  expiresAt: epochMillis,
  refreshToken: nonEmptyString,
  idToken: nonEmptyString,
  scope: anyString,
  obtainedAt: epochMillis,
  dpopKey,
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The dotted paths where `input` breaks the schema; empty when it fits. */
function schemaProblems(input: unknown): string[] {
  if (!isRecord(input)) return ['(root)']
  const problems: string[] = []
  if (input.version !== STORED_RECORD_VERSION) problems.push('version')
  if (!epochMillis(input.savedAt)) problems.push('savedAt')
  const tokens = input.tokens
  if (!isRecord(tokens)) return [...problems, 'tokens']
  for (const [name, valid] of Object.entries(requiredTokenFields)) {
    if (!valid(tokens[name])) problems.push(`tokens.${name}`)
  }
  for (const [name, valid] of Object.entries(optionalTokenFields)) {
    if (tokens[name] !== undefined && !valid(tokens[name])) problems.push(`tokens.${name}`)
  }
  return problems
}

/**
 * Decodes a stored record: the one decoder of Keyway's stored-record schema, used by every
 * store and by the io-ts codec `StoredRecord` of `@keyway/core/codecs`. It is written by hand
 * rather than with io-ts because it runs on the path of a program that only reads a valid
 * token, and loading io-ts with fp-ts costs that program more than starting Node does. A
 * record that does not match is a `store_error` naming where (never quoting a value).
 */
export function decodeStoredRecord(input: unknown): Either<KeywayError, StoredRecordJson> {
  const problems = schemaProblems(input)
  if (problems.length > 0) {
    return left(
      new KeywayError(
        KeywayErrorCodes.storeError,
        `The stored token record is malformed at: ${problems.join(', ')}.`,
      ),
    )
  }
  const { tokens, savedAt } = input as { tokens: Record<string, unknown>; savedAt: number }
  const known = [...Object.keys(requiredTokenFields), ...Object.keys(optionalTokenFields)]
  const copy: Record<string, unknown> = {}
  for (const name of known) if (tokens[name] !== undefined) copy[name] = tokens[name]
  if (copy.dpopKey !== undefined) copy.dpopKey = dpopKeyFields(copy.dpopKey as DPoPKeyJwk)
  return right({ version: STORED_RECORD_VERSION, savedAt, tokens: copy as unknown as TokenSet })
}

/**
 * Reads a stored record back into a {@link TokenSet} (see {@link decodeStoredRecord}); the
 * store sets a malformed record aside and reports it.
 */
export function fromStoredRecord(input: unknown): Either<KeywayError, TokenSet> {
  const decoded = decodeStoredRecord(input)
  return decoded._tag === 'Left' ? decoded : right(decoded.right.tokens)
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
export function parseStoredTokens(text: string): Either<KeywayError, TokenSet> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return left(
      new KeywayError(KeywayErrorCodes.storeError, 'The stored token record is not JSON.'),
    )
  }
  return fromStoredRecord(parsed)
}
