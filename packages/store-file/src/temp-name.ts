import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { nodeCrypto } from './node-crypto.js'

let tag: string | undefined

/**
 * This machine, as a temp file names it: a writer's pid says whether it is alive only on the
 * machine it ran on (a token folder may be shared over a network). Made on first need.
 */
export function hostTag(): string {
  tag ??= nodeCrypto().createHash('sha256').update(hostname()).digest('hex').slice(0, 8)
  return tag
}

/**
 * A sibling of `path` that no other writer picks, naming its writer:
 * `.<name>.<pid>-<host>.<random>.tmp`.
 */
export function tempPathFor(path: string): string {
  const name = `.${basename(path)}.${process.pid}-${hostTag()}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`
  return join(dirname(path), name)
}

/** A temp file of a token file's writer, as its name tells. */
export interface TempName {
  /** The file name, in the token file's folder. */
  readonly name: string
  /** The writer's process id. */
  readonly pid: number
  /** The writer's machine, as {@link hostTag}. */
  readonly host: string
}

/** Reads `name` as a temp file of the token file `fileName`; undefined for any other name. */
export function parseTempName(fileName: string, name: string): TempName | undefined {
  const prefix = `.${fileName}.`
  if (!name.startsWith(prefix) || !name.endsWith('.tmp')) return undefined
  const match = /^(\d+)-([0-9a-f]{8})\.[0-9a-f]{12}$/.exec(name.slice(prefix.length, -4))
  if (match === null) return undefined
  return { name, pid: Number(match[1]), host: match[2]! }
}
