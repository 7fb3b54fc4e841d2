import { writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  configError,
  fromStoredRecord,
  isRight,
  KeywayError,
  KeywayErrorCodes,
  type LoadContext,
  type LockOptions,
  type StoreKey,
  type StoreLock,
  storeKeyId,
  type TokenSet,
  type TokenStore,
  toStoredRecord,
} from '@keyway/core'
import { settleAbandonedTemps } from './abandoned-temps.js'
import { acquireFileLock, type FileLease } from './file-lock.js'
import { nodeCrypto } from './node-crypto.js'
import {
  asidePathFor,
  ensurePrivateDir,
  PRIVATE_FILE_MODE,
  setFileAside,
  writePrivateFile,
} from './private-file.js'
import { readTokenFile, serializeTokenFile, type TokenRecords } from './token-file.js'
import { resolveTokenPath } from './token-path.js'
import { checkTokenFolder } from './trusted-path.js'

/** Options of {@link fileStore}. Give `path`, `appName`, or both. */
export interface FileStoreOptions {
  /** The token file; a leading `~` is the home folder. Default: see `appName`. */
  readonly path?: string
  /**
   * The app's name, which picks the default file: `tokens.json` in the app's config folder as
   * env-paths names it (`~/.config/<appName>/tokens.json` on Linux).
   */
  readonly appName?: string
  /**
   * How long a lock whose holder died (crashed, killed) keeps others waiting, in ms; a live
   * holder keeps its lock fresh. Default 10 000; at least 2 000, and never past the lease.
   */
  readonly staleLockMs?: number
}

/** A {@link TokenStore} in one JSON file; see {@link fileStore}. */
export interface FileTokenStore extends TokenStore {
  /** The absolute path of the token file. */
  readonly path: string
  /** Takes the cross-process lock on `key`: this store always has one. */
  lock(key: StoreKey, options: LockOptions): Promise<StoreLock>
}

const WRITE_LEASE_MS = 10_000
const DEFAULT_STALE_LOCK_MS = 10_000

function storeError(message: string, cause?: unknown): KeywayError {
  return new KeywayError(KeywayErrorCodes.storeError, message, { cause })
}

function lockTargetFor(path: string, key: StoreKey): string {
  const digest = nodeCrypto()
    .createHash('sha256')
    .update(storeKeyId(key))
    .digest('hex')
    .slice(0, 16)
  return `${path}.${digest}`
}

class FileStore implements FileTokenStore {
  readonly name = 'file'
  readonly #staleMs: number
  readonly #leases = new WeakSet<StoreLock>()
  /** Writes from this handle queue here before they compete for the file's write lock. */
  #writes: Promise<unknown> = Promise.resolve()

  constructor(
    readonly path: string,
    staleMs: number,
  ) {
    this.#staleMs = staleMs
  }

  async load(key: StoreKey, context?: LoadContext): Promise<TokenSet | undefined> {
    if (!(await checkTokenFolder(dirname(this.path)))) return undefined
    await settleAbandonedTemps(this.path).catch((error: unknown) => {
      context?.report(storeError('Temp files left by an ended writer could not be settled.', error))
    })
    const content = await readTokenFile(this.path, context?.report)
    if (content.kind === 'missing') return undefined
    if (content.kind === 'corrupt') {
      await this.#write((records) => records, context)
      return undefined
    }
    const record = content.records[storeKeyId(key)]
    if (record === undefined) return undefined
    const decoded = fromStoredRecord(record)
    if (isRight(decoded)) return decoded.right
    await this.#setRecordAside(key, record, decoded.left, context)
    return undefined
  }

  async save(key: StoreKey, tokens: TokenSet, options?: { readonly lock?: StoreLock }) {
    const lock = options?.lock
    await this.#write((records) => {
      if (lock !== undefined && this.#leases.has(lock) && !(lock as FileLease).held) {
        throw storeError(
          'The token file lock expired before the save: newer tokens may have been written since.',
        )
      }
      return { ...records, [storeKeyId(key)]: toStoredRecord(tokens) }
    })
  }

  async delete(key: StoreKey): Promise<void> {
    const id = storeKeyId(key)
    await this.#write((records) => {
      if (!(id in records)) return undefined
      const { [id]: _removed, ...rest } = records
      return rest
    })
  }

  async lock(key: StoreKey, options: LockOptions): Promise<StoreLock> {
    await ensurePrivateDir(this.path).catch((error: unknown) => {
      throw error instanceof KeywayError
        ? error
        : storeError('The token file folder could not be created.', error)
    })
    const lease = await acquireFileLock(lockTargetFor(this.path, key), {
      leaseMs: options.leaseMs,
      staleMs: this.#staleMs,
      signal: options.signal,
    })
    this.#leases.add(lease)
    return lease
  }

  /** Moves one bad record out of the file into a file of its own beside it, and reports it. */
  async #setRecordAside(key: StoreKey, bad: unknown, error: KeywayError, context?: LoadContext) {
    const id = storeKeyId(key)
    await this.#write(async (records) => {
      if (JSON.stringify(records[id]) !== JSON.stringify(bad)) return undefined
      await writeFile(asidePathFor(this.path), JSON.stringify({ key, record: bad }), {
        mode: PRIVATE_FILE_MODE,
        flag: 'wx',
      })
      const { [id]: _removed, ...rest } = records
      return rest
    })
    context?.report(
      new KeywayError(
        KeywayErrorCodes.storeError,
        `A stored token record was unreadable and was set aside. ${error.message}`,
        { cause: error },
      ),
    )
  }

  /**
   * Read-modify-write under the file's write lock, so that processes saving different keys at
   * once lose nothing. `change` returns the new records, or undefined to leave the file alone.
   * Temp files of writers that ended mid-write are settled first; then a file that is not a
   * token file is set aside (reported when `context` is given, as loose permissions are).
   */
  #write(
    change: (records: TokenRecords) => TokenRecords | undefined | Promise<TokenRecords | undefined>,
    context?: LoadContext,
  ): Promise<void> {
    const run = async () => {
      await ensurePrivateDir(this.path)
      const lock = await acquireFileLock(this.path, {
        leaseMs: WRITE_LEASE_MS,
        staleMs: this.#staleMs,
      })
      try {
        await settleAbandonedTemps(this.path)
        const content = await readTokenFile(this.path, context?.report)
        if (content.kind === 'corrupt') {
          await setFileAside(this.path)
          context?.report(content.error)
        }
        const next = await change(content.kind === 'valid' ? content.records : {})
        if (next !== undefined) await writePrivateFile(this.path, serializeTokenFile(next))
      } finally {
        await lock.release()
      }
    }
    const result = this.#writes.then(run, run)
    this.#writes = result.catch(() => undefined)
    return result.catch((error: unknown) => {
      throw error instanceof KeywayError
        ? error
        : storeError('The token file could not be written.', error)
    })
  }
}

/**
 * A {@link TokenStore} in one JSON file, shared by every process that opens the same path.
 *
 * - The file holds a layout version and one record per key (issuer, client id, profile), each
 *   with the stored-record schema version of `@keyway/core`.
 * - It is created 0600 in a folder created 0700, and every write goes to a temporary file that
 *   is flushed and then renamed over it: a reader sees the old tokens or the new, never a mix.
 * - `lock()` is a cross-process lock (proper-lockfile); a holder that dies is detected after
 *   `staleLockMs`, and a holder past its lease can no longer save.
 * - An unreadable file or record is renamed aside (`<file>.corrupt-<time>-<id>`), reported
 *   through `load`'s `report`, and read as empty: never a crash.
 * - It trusts nothing around the file: a symbolic link in the file's place, a file of another
 *   user, or a folder that other users can write to (without the sticky bit) or that belongs
 *   to another user is refused with `store_error`; a file that others may read or write is
 *   set to 0600 and reported through `load`'s `report`.
 * - A temp file that a writer left when its process ended (killed, crashed) is settled by the
 *   next load or save: a complete one is renamed over the file, finishing that write; any
 *   other is deleted. Temp files name their writer's pid; one whose writer runs is left alone.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { fileStore } from '@keyway/store-file'
 *
 * const kw = createKeyway({
 *   issuer: 'https://accounts.example.com',
 *   clientId: 'my-cli',
 *   store: fileStore({ appName: 'my-cli' }), // ~/.config/my-cli/tokens.json on Linux
 * })
 * ```
 */
export function fileStore(options: FileStoreOptions): FileTokenStore {
  const path = resolveTokenPath(options)
  const staleMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS
  if (typeof staleMs !== 'number' || !Number.isFinite(staleMs) || staleMs < 0) {
    throw configError('fileStore: staleLockMs must be a finite number of milliseconds.')
  }
  return new FileStore(path, staleMs)
}
