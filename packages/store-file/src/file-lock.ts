import { setTimeout as sleep } from 'node:timers/promises'
import { abortError, KeywayError, KeywayErrorCodes, type StoreLock } from '@keyway/core'

/** The shortest staleness proper-lockfile accepts, in ms. */
export const MIN_STALE_MS = 2_000

/** Options of {@link acquireFileLock}. */
export interface FileLockOptions {
  /** The holder gives the lock up after this long, released or not. */
  readonly leaseMs: number
  /**
   * After this long without a heartbeat (a holder that crashed or was killed), others may break
   * the lock. At least 2 000 ms; never longer than the lease.
   */
  readonly staleMs: number
  /** Stops waiting. */
  readonly signal?: AbortSignal | undefined
}

/** A held file lock: a {@link StoreLock} that also knows whether it still holds. */
export interface FileLease extends StoreLock {
  /** False once released, once the lease ran out, or once another process broke the lock. */
  readonly held: boolean
}

const FIRST_WAIT_MS = 10
const LONGEST_WAIT_MS = 250

function waitingAborted(signal: AbortSignal | undefined): KeywayError {
  return abortError(signal, 'Waiting for the token file lock')
}

/** proper-lockfile, loaded when a lock is first taken: reading tokens never needs it. */
async function lockfile() {
  return (await import('proper-lockfile')).default
}

async function tryLock(target: string, staleMs: number, onLost: () => void) {
  try {
    return await (await lockfile()).lock(target, {
      realpath: false,
      stale: staleMs,
      retries: 0,
      onCompromised: onLost,
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return undefined
    throw new KeywayError(KeywayErrorCodes.storeError, 'The token file lock failed.', {
      cause: error,
    })
  }
}

/**
 * Takes the cross-process lock on `target` (a `<target>.lock` folder, made with an atomic
 * `mkdir` by proper-lockfile), waiting with a jittered backoff while another holder has it.
 * While held, its folder's time is refreshed as a heartbeat, so a holder that died is detected
 * after `staleMs`; the lease ends the hold after `leaseMs` in any case.
 */
export async function acquireFileLock(
  target: string,
  options: FileLockOptions,
): Promise<FileLease> {
  const { signal } = options
  const staleMs = Math.max(MIN_STALE_MS, Math.min(options.staleMs, options.leaseMs))
  let held = true
  const lost = () => {
    held = false
  }
  let unlock: () => Promise<void>
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
    if (signal?.aborted) throw waitingAborted(signal)
    const acquired = await tryLock(target, staleMs, lost)
    if (acquired !== undefined) {
      unlock = acquired
      break
    }
    await sleep(wait * (0.5 + Math.random()), undefined, { signal }).catch(() => {
      throw waitingAborted(signal)
    })
  }
  const release = async () => {
    if (!held) return
    held = false
    clearTimeout(lease)
    await unlock().catch(() => undefined)
  }
  const lease = setTimeout(() => void release(), options.leaseMs)
  lease.unref()
  return {
    get held() {
      return held
    },
    release,
  }
}
