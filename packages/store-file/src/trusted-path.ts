import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  type Stats,
  statSync,
} from 'node:fs'
import { KeywayError, KeywayErrorCodes } from '@keyway/core'

/** Permission bits that let anyone but the owner read or write. */
const GROUP_OR_OTHER = 0o077
/** Permission bits that let anyone but the owner create, rename or delete in a folder. */
const GROUP_OR_OTHER_WRITE = 0o022
/** The sticky bit: in such a folder only a file's owner may rename or delete it (as in /tmp). */
const STICKY = 0o1000
const ROOT_UID = 0
/** Set where the platform has it (not on Windows): `open` then fails on a symbolic link. */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0
/** Opening a FIFO planted in the token file's place must not wait for a writer. */
const NO_BLOCK = constants.O_NONBLOCK ?? 0
const READ_FLAGS = constants.O_RDONLY | NO_FOLLOW | NO_BLOCK

function storeError(message: string, cause?: unknown): KeywayError {
  return new KeywayError(KeywayErrorCodes.storeError, message, { cause })
}

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0')

/**
 * The uid of the user Keyway runs as, or undefined where the platform has no uids (Windows):
 * owners and permission bits are then not checked.
 */
export function currentUid(): number | undefined {
  return process.platform === 'win32' ? undefined : process.getuid?.()
}

/**
 * Refuses a token folder that others control: one owned by a user other than the current
 * one (or root), or writable by group or others without the sticky bit. Such a user could
 * rename the token file away and put theirs in its place. Resolves `false` when the folder
 * does not exist.
 *
 * The read path's file system calls (here, in {@link readOwnFile} and the folder listing of
 * `settleAbandonedTemps`) are synchronous: each is a few microseconds on a small local file,
 * where its asynchronous form is a round trip to libuv's thread pool, which the first one also
 * starts (four threads). A program that only reads its stored token (`keyway token`) then
 * starts no thread at all: measured, ten such calls took 2.5 ms of a 20 ms process
 * asynchronously and none measurable synchronously. Writes stay asynchronous.
 */
export async function checkTokenFolder(dir: string): Promise<boolean> {
  let stats: Stats
  try {
    stats = statSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw storeError(`The token file's folder ${dir} could not be read.`, error)
  }
  if (!stats.isDirectory()) throw storeError(`The token file's folder ${dir} is not a folder.`)
  const uid = currentUid()
  if (uid === undefined) return true
  if (stats.uid !== uid && stats.uid !== ROOT_UID) {
    throw storeError(
      `The token file's folder ${dir} belongs to another user (uid ${stats.uid}, not ${uid}), ` +
        'who could replace the token file: Keyway does not use it.',
    )
  }
  if ((stats.mode & GROUP_OR_OTHER_WRITE) !== 0 && (stats.mode & STICKY) === 0) {
    throw storeError(
      `The token file's folder ${dir} can be written by other users (mode ${octal(stats.mode)}), ` +
        'who could replace the token file: Keyway does not use it. Remove their write ' +
        'permission (chmod go-w) or keep the file in a private folder.',
    )
  }
  return true
}

/** Refuses a symbolic link where `O_NOFOLLOW` is missing (Windows), as well as it can. */
async function refuseLinkWithoutNoFollow(path: string): Promise<void> {
  if (NO_FOLLOW !== 0) return
  const stats = lstatSync(path, { throwIfNoEntry: false })
  if (stats?.isSymbolicLink()) throw linkRefused(path)
}

function linkRefused(path: string, cause?: unknown): KeywayError {
  return storeError(
    `The token file ${path} is a symbolic link: Keyway does not follow it, so that a link ` +
      "cannot hand it another file's tokens. Put the file itself there.",
    cause,
  )
}

/**
 * Reads the file at `path` only if it is the current user's own regular file, never through a
 * symbolic link (`O_NOFOLLOW`). A file that group or others may read or write is set to 0600
 * before it is read, and `report` is told: the tokens in it may have been seen. Resolves
 * undefined when there is no file; anything else it refuses is a `store_error`.
 */
export async function readOwnFile(
  path: string,
  report?: (error: KeywayError) => void,
): Promise<string | undefined> {
  await refuseLinkWithoutNoFollow(path)
  let fd: number
  try {
    fd = openSync(path, READ_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    // ELOOP on Linux and macOS, EMLINK on FreeBSD: the last part of the path is a link.
    if (code === 'ELOOP' || code === 'EMLINK') throw linkRefused(path, error)
    throw storeError('The token file could not be read.', error)
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw storeError(`The token file ${path} is not a regular file.`)
    const uid = currentUid()
    if (uid !== undefined) {
      if (stats.uid !== uid) {
        throw storeError(
          `The token file ${path} belongs to another user (uid ${stats.uid}, not ${uid}): ` +
            'Keyway only reads a token file of its own user.',
        )
      }
      if ((stats.mode & GROUP_OR_OTHER) !== 0) {
        fchmodSync(fd, 0o600)
        report?.(
          storeError(
            `The token file ${path} could be read or written by other users ` +
              `(mode ${octal(stats.mode)}); Keyway set it to 0600. The tokens in it may have ` +
              'been seen by others.',
          ),
        )
      }
    }
    return readFileSync(fd, 'utf8')
  } catch (error) {
    if (error instanceof KeywayError) throw error
    throw storeError('The token file could not be read.', error)
  } finally {
    closeSync(fd)
  }
}
