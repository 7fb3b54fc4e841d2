import { createHash } from 'node:crypto'
import { access, constants, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  abortError,
  KeywayError,
  KeywayErrorCodes,
  type LockOptions,
  type StoreKey,
  type StoreLock,
  storeKeyId,
} from '@keyway/core'
import lockfile from 'proper-lockfile'

/** A held lock that knows whether its lease still runs. */
export interface KeychainLease extends StoreLock {
  readonly held: boolean
}

/** proper-lockfile's shortest staleness, in ms. */
const MIN_STALE_MS = 2_000
/** Waiting retries with a jittered backoff from 10 ms to 250 ms: in effect, until aborted. */
const WAIT = { retries: 1_000_000, factor: 1.5, minTimeout: 10, maxTimeout: 250, randomize: true }

async function usableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await access(dir, constants.W_OK)
  } catch (cause) {
    throw new KeywayError(
      KeywayErrorCodes.storeError,
      'The keychain lock folder is not writable.',
      {
        cause,
      },
    )
  }
}

/**
 * The keychain's cross-process lock on `key`: a lock folder (proper-lockfile, an atomic `mkdir`)
 * in `dir`, beside the app's config. A holder that dies is detected once its heartbeat is
 * `staleMs` old; a live holder keeps the lock for its lease at most.
 */
export async function lockInDir(
  dir: string,
  key: StoreKey,
  options: LockOptions & { readonly staleMs: number },
): Promise<KeychainLease> {
  const { signal } = options
  if (signal?.aborted) throw abortError(signal, 'Waiting for the keychain lock')
  await usableDir(dir)
  const digest = createHash('sha256').update(storeKeyId(key)).digest('hex').slice(0, 16)
  let held = true
  const taking = lockfile.lock(join(dir, `keychain-${digest}`), {
    realpath: false,
    stale: Math.max(MIN_STALE_MS, Math.min(options.staleMs, options.leaseMs)),
    retries: WAIT,
    onCompromised: () => {
      held = false
    },
  })
  const aborted = new Promise<never>((_, reject) => {
    signal?.addEventListener(
      'abort',
      () => reject(abortError(signal, 'Waiting for the keychain lock')),
      {
        once: true,
      },
    )
  })
  let unlock: () => Promise<void>
  try {
    unlock = await Promise.race([taking, aborted])
  } catch (error) {
    // Given up on: whenever the lock does come, hand it straight back.
    taking.then(
      (late) => late(),
      () => undefined,
    )
    throw error instanceof KeywayError
      ? error
      : new KeywayError(KeywayErrorCodes.storeError, 'The keychain lock failed.', { cause: error })
  }
  const lease = setTimeout(() => void release(), options.leaseMs)
  lease.unref()
  async function release() {
    if (!held) return
    held = false
    clearTimeout(lease)
    await unlock().catch(() => undefined)
  }
  return {
    get held() {
      return held
    },
    release,
  }
}
