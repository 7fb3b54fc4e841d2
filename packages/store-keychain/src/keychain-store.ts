import {
  configError,
  KeywayError,
  KeywayErrorCodes,
  type LoadContext,
  type LockOptions,
  parseStoredTokens,
  type StoreKey,
  type StoreLock,
  serializeTokens,
  storeKeyId,
  type TokenSet,
  type TokenStore,
} from '@keyway/core'
import envPaths from 'env-paths'
import {
  deleteValue,
  readValue,
  setValueAside,
  type ValueAddress,
  writeValue,
} from './chunked-value.js'
import { type KeychainLease, lockInDir } from './keychain-lock.js'
import { keyringError, type LinuxBackend, openEntry } from './keyring.js'

/** Options of {@link keychainStore}. */
export interface KeychainStoreOptions {
  /** The service the entries are filed under, usually the app's name. */
  readonly service: string
  /**
   * On Linux, the credential store to use: `secret-service` (default; GNOME Keyring, KWallet,
   * KeePassXC) or `keyutils`, the kernel keyring, which forgets everything on reboot. There is
   * no silent fallback from one to the other.
   */
  readonly linuxBackend?: LinuxBackend
  /**
   * The longest value one entry holds, in UTF-16 code units; longer records are split across
   * entries. Default 1 200 on Windows (2 400 of the 2 560 bytes a credential holds), unlimited
   * elsewhere.
   */
  readonly chunkSize?: number
  /**
   * Where tokens go when there is no keychain (a server, a container, a locked session): the
   * app's explicit choice, e.g. `fileStore({ appName })`. Without it, an absent keychain is a
   * `store_unavailable` error, never a silent switch to a plaintext file. When it is used,
   * the store says so: a process warning, and a report on the first load.
   */
  readonly fallback?: TokenStore
  /** The folder of the cross-process lock files. Default: the service's config folder (env-paths). */
  readonly lockDir?: string
  /**
   * A lock to use instead of the lock files, e.g. the `lock` of the `fileStore` other processes
   * of the app use. Keychain saves then cannot tell a holder whose lease ran out.
   */
  readonly lock?: (key: StoreKey, options: LockOptions) => Promise<StoreLock>
  /** How long the lock of a holder that died keeps others waiting, in ms. Default 10 000. */
  readonly staleLockMs?: number
}

/** A {@link TokenStore} in the OS keychain; see {@link keychainStore}. */
export interface KeychainTokenStore extends TokenStore {
  /** Takes the cross-process lock on `key`: this store always has one. */
  lock(key: StoreKey, options: LockOptions): Promise<StoreLock>
  /** True when the keychain answers (on Linux: an unlocked Secret Service, unless keyutils). */
  isAvailable(): Promise<boolean>
}

/** The lock folder a keychain store for `service` uses by default: its config folder. */
export function defaultLockDir(service: string): string {
  return envPaths(service, { suffix: '' }).config
}

type ResolvedOptions = KeychainStoreOptions & {
  readonly linuxBackend: LinuxBackend
  readonly chunkSize: number
}

const WINDOWS_CHUNK_SIZE = 1_200
const PROBE_ACCOUNT = 'keyway-availability-probe'

function fallbackNotice(fallback: TokenStore, cause: KeywayError | undefined): KeywayError {
  return new KeywayError(
    KeywayErrorCodes.storeUnavailable,
    `No OS keychain is available; tokens are kept in the fallback ${fallback.name} store, as configured.`,
    { cause },
  )
}

class KeychainStore implements KeychainTokenStore {
  readonly name = 'keychain'
  readonly #options: ResolvedOptions
  readonly #lockDir: string
  readonly #leases = new WeakSet<StoreLock>()
  /** Settles on the first use: the keychain, or (when it is absent) the fallback, for good. */
  #backend: Promise<TokenStore | undefined> | undefined
  #fallbackReported = false

  constructor(options: ResolvedOptions) {
    this.#options = options
    this.#lockDir = options.lockDir ?? defaultLockDir(options.service)
  }

  #address(key: StoreKey): ValueAddress {
    const { service, linuxBackend } = this.#options
    return { service, account: storeKeyId(key), backend: linuxBackend }
  }

  /** Asks the keychain for an entry that need not exist: the failure, if it does not answer. */
  async #probe(): Promise<KeywayError | undefined> {
    const { service, linuxBackend } = this.#options
    try {
      const entry = await openEntry(service, PROBE_ACCOUNT, linuxBackend)
      await entry.getPassword()
      return undefined
    } catch (error) {
      return keyringError(error, 'checking that it is there')
    }
  }

  async isAvailable(): Promise<boolean> {
    return (await this.#probe()) === undefined
  }

  /** The fallback when the keychain is absent and the app gave one; undefined for the keychain. */
  #fallback(): Promise<TokenStore | undefined> {
    const { fallback } = this.#options
    this.#backend ??= (async () => {
      const absent = fallback === undefined ? undefined : await this.#probe()
      if (fallback === undefined || absent === undefined) return undefined
      process.emitWarning(fallbackNotice(fallback, absent).message, {
        code: 'KEYWAY_KEYCHAIN_FALLBACK',
      })
      return fallback
    })()
    return this.#backend
  }

  async load(key: StoreKey, context?: LoadContext): Promise<TokenSet | undefined> {
    const fallback = await this.#fallback()
    if (fallback !== undefined) {
      if (!this.#fallbackReported) {
        this.#fallbackReported = true
        context?.report(fallbackNotice(fallback, undefined))
      }
      return fallback.load(key, context)
    }
    const address = this.#address(key)
    const read = await readValue(address)
    if (read.kind === 'missing') return undefined
    const parsed = read.kind === 'value' ? parseStoredTokens(read.text) : undefined
    if (parsed?._tag === 'Right') return parsed.right
    await setValueAside(address, read)
    const problem = parsed?.left.message ?? 'Parts of it are missing.'
    context?.report(
      new KeywayError(
        KeywayErrorCodes.storeError,
        `A stored token record in the keychain was unreadable and was set aside. ${problem}`,
        { cause: parsed?.left },
      ),
    )
    return undefined
  }

  async save(key: StoreKey, tokens: TokenSet, options?: { readonly lock?: StoreLock }) {
    const fallback = await this.#fallback()
    if (fallback !== undefined) return fallback.save(key, tokens, options)
    const lock = options?.lock
    if (lock !== undefined && this.#leases.has(lock) && !(lock as KeychainLease).held) {
      throw new KeywayError(
        KeywayErrorCodes.storeError,
        'The keychain lock expired before the save: newer tokens may have been written since.',
      )
    }
    await writeValue(this.#address(key), serializeTokens(tokens), this.#options.chunkSize)
  }

  async delete(key: StoreKey): Promise<void> {
    const fallback = await this.#fallback()
    if (fallback !== undefined) return fallback.delete(key)
    await deleteValue(this.#address(key))
  }

  async lock(key: StoreKey, options: LockOptions): Promise<StoreLock> {
    const fallback = await this.#fallback()
    const given = this.#options.lock ?? fallback?.lock?.bind(fallback)
    if (given !== undefined) return given(key, options)
    const lease = await lockInDir(this.#lockDir, key, {
      ...options,
      staleMs: this.#options.staleLockMs ?? 10_000,
    })
    this.#leases.add(lease)
    return lease
  }
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || !(value > 0))) {
    throw configError(`keychainStore: ${name} must be a positive number.`)
  }
}

/**
 * A {@link TokenStore} in the OS keychain: the macOS Keychain, the Windows Credential Manager,
 * or on Linux the Secret Service (GNOME Keyring, KWallet, KeePassXC).
 *
 * - @napi-rs/keyring is loaded on first use; where it cannot load, or no keychain answers,
 *   operations fail with `store_unavailable`, unless the app chose a `fallback`.
 * - On Linux it is pinned to the Secret Service: the library would otherwise fall back, without
 *   a word, to the kernel keyring, which forgets on reboot (`linuxBackend: 'keyutils'` asks for
 *   it explicitly).
 * - Records longer than `chunkSize` are split across entries, switched atomically by a head entry.
 * - `lock()` is a cross-process lock file in the app's config folder.
 * - An unreadable record is kept aside in an entry of its own, removed, and reported.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { fileStore } from '@keyway/store-file'
 * import { keychainStore } from '@keyway/store-keychain'
 *
 * const store = keychainStore({
 *   service: 'my-cli',
 *   // Only if plaintext on disk is acceptable where there is no keychain:
 *   fallback: fileStore({ appName: 'my-cli' }),
 * })
 * const kw = createKeyway({ issuer, clientId: 'my-cli', store })
 * ```
 */
export function keychainStore(options: KeychainStoreOptions): KeychainTokenStore {
  if (typeof options?.service !== 'string' || options.service.trim() === '') {
    throw configError('keychainStore needs a service name, usually the app’s name.')
  }
  const linuxBackend = options.linuxBackend ?? 'secret-service'
  if (linuxBackend !== 'secret-service' && linuxBackend !== 'keyutils') {
    throw configError("keychainStore: linuxBackend must be 'secret-service' or 'keyutils'.")
  }
  positive('chunkSize', options.chunkSize)
  positive('staleLockMs', options.staleLockMs)
  const chunkSize =
    options.chunkSize ??
    (process.platform === 'win32' ? WINDOWS_CHUNK_SIZE : Number.POSITIVE_INFINITY)
  return new KeychainStore({ ...options, linuxBackend, chunkSize })
}
