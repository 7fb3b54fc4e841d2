import { abortError } from './errors.js'
import type { LockOptions, StoreLock } from './ports/store.js'

interface Waiter {
  readonly leaseMs: number
  readonly grant: (lock: StoreLock) => void
}

/**
 * An exclusive lock with a lease, for one process: waiters queue in order, and a holder
 * that never releases loses the lock when its lease runs out. Each grant carries a fence
 * that grows by one, so a store can refuse writes from a holder whose lease expired.
 */
export class LeaseLock {
  #fence = 0
  #held = false
  readonly #queue: Waiter[] = []

  /** The fence of the newest grant; 0 before the first. */
  get fence(): number {
    return this.#fence
  }

  /** Waits for the lock, then holds it for at most `leaseMs`. */
  acquire(options: LockOptions): Promise<StoreLock> {
    const { signal, leaseMs } = options
    if (signal?.aborted) return Promise.reject(abortError(signal, 'Waiting for the store lock'))
    // A free lock is granted at once: nothing to wait for, nothing to listen to.
    if (!this.#held && this.#queue.length === 0) return Promise.resolve(this.#grant(leaseMs))
    return new Promise<StoreLock>((resolve, reject) => {
      const waiter: Waiter = {
        leaseMs,
        grant: (lock) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(lock)
        },
      }
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter)
        if (index >= 0) this.#queue.splice(index, 1)
        reject(abortError(signal, 'Waiting for the store lock'))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#queue.push(waiter)
      this.#next()
    })
  }

  #next(): void {
    if (this.#held) return
    const waiter = this.#queue.shift()
    if (waiter !== undefined) waiter.grant(this.#grant(waiter.leaseMs))
  }

  /** Holds the lock for at most `leaseMs` under a new fence. */
  #grant(leaseMs: number): StoreLock {
    this.#held = true
    const fence = ++this.#fence
    let released = false
    const release = async () => {
      if (released) return
      released = true
      clearTimeout(lease)
      if (this.#fence === fence) this.#held = false
      this.#next()
    }
    const lease = setTimeout(release, leaseMs)
    lease.unref()
    return { fence, release }
  }
}
