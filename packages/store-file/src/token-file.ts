import { readFile } from 'node:fs/promises'
import { KeywayError, KeywayErrorCodes } from '@keyway/core'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'

/** The version of the token file's layout (each record inside has its own schema version). */
export const TOKEN_FILE_VERSION = 1

/**
 * The token file: a layout version and one stored record per key, keyed by `storeKeyId()`.
 * The records stay undecoded here: one bad record must not cost the others.
 */
export const TokenFile = t.type({
  version: t.literal(TOKEN_FILE_VERSION),
  records: t.record(t.string, t.unknown),
})

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
export function parseTokenFile(text: string): E.Either<KeywayError, TokenRecords> {
  return pipe(
    E.tryCatch(
      (): unknown => JSON.parse(text),
      () => corrupt('The token file is not JSON; it was set aside.'),
    ),
    E.flatMap((json) =>
      pipe(
        TokenFile.decode(json),
        E.mapLeft(() => corrupt('The token file has an unknown layout; it was set aside.')),
      ),
    ),
    E.map((file) => ({ ...file.records })),
  )
}

/** The text of a token file holding `records`. */
export function serializeTokenFile(records: TokenRecords): string {
  return `${JSON.stringify({ version: TOKEN_FILE_VERSION, records }, null, 2)}\n`
}

/** Reads and parses the token file at `path`; a failed read (not a missing file) throws. */
export async function readTokenFile(path: string): Promise<TokenFileContent> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' }
    throw new KeywayError(KeywayErrorCodes.storeError, 'The token file could not be read.', {
      cause: error,
    })
  }
  return pipe(
    parseTokenFile(text),
    E.match(
      (error): TokenFileContent => ({ kind: 'corrupt', error }),
      (records): TokenFileContent => ({ kind: 'valid', records }),
    ),
  )
}
