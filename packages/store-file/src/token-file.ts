import { KeywayError, KeywayErrorCodes, left, right } from '@keyway/core'
import type { Either } from 'fp-ts/lib/Either.js'
import { readOwnFile } from './trusted-path.js'

/** The version of the token file's layout (each record inside has its own schema version). */
export const TOKEN_FILE_VERSION = 1

/**
 * The token file: a layout version and one stored record per key, keyed by `storeKeyId()`:
 * `{ "version": 1, "records": { … } }`. The records stay undecoded here: one bad record must
 * not cost the others. The layout is checked by hand rather than by an io-ts codec, since
 * every program start reads this file and a valid token should need no decoding library.
 */
function isTokenFile(json: unknown): json is { version: number; records: TokenRecords } {
  if (typeof json !== 'object' || json === null) return false
  const { version, records } = json as { version?: unknown; records?: unknown }
  return (
    version === TOKEN_FILE_VERSION &&
    typeof records === 'object' &&
    records !== null &&
    !Array.isArray(records)
  )
}

/** The records of a token file, by `storeKeyId()`. */
export type TokenRecords = Record<string, unknown>

/** What reading the token file found. */
export type TokenFileContent =
  | { readonly kind: 'missing' }
  | { readonly kind: 'valid'; readonly records: TokenRecords }
  | { readonly kind: 'corrupt'; readonly error: KeywayError }

function corrupt(message: string): KeywayError {
  return new KeywayError(KeywayErrorCodes.storeError, message)
}

/**
 * Parses the text of a token file. Neither the parser's message nor the decoder's values are
 * kept: both would quote the text, which holds tokens.
 */
export function parseTokenFile(text: string): Either<KeywayError, TokenRecords> {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return left(corrupt('The token file is not JSON; it was set aside.'))
  }
  if (!isTokenFile(json))
    return left(corrupt('The token file has an unknown layout; it was set aside.'))
  return right({ ...json.records })
}

/** The text of a token file holding `records`. */
export function serializeTokenFile(records: TokenRecords): string {
  return `${JSON.stringify({ version: TOKEN_FILE_VERSION, records }, null, 2)}\n`
}

/**
 * Reads and parses the token file at `path`, only if it is the user's own (see `readOwnFile`:
 * a link, another user's file or a failed read throws; loose permissions are repaired and
 * told to `report`).
 */
export async function readTokenFile(
  path: string,
  report?: (error: KeywayError) => void,
): Promise<TokenFileContent> {
  const text = await readOwnFile(path, report)
  if (text === undefined) return { kind: 'missing' }
  const parsed = parseTokenFile(text)
  return parsed._tag === 'Left'
    ? { kind: 'corrupt', error: parsed.left }
    : { kind: 'valid', records: parsed.right }
}
