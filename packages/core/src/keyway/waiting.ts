import { abortError } from '../errors.js'
import type { KeywayContext } from '../machine/types.js'
import type { KeywayState } from './types.js'

/** A state and the context of the same snapshot. */
export interface Settled {
  readonly state: KeywayState
  readonly context: KeywayContext
}

/** A promise with its settling functions at hand. */
export interface DeferredResult<T> {
  readonly promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
}

/** A new {@link DeferredResult}. */
export function deferredResult<T>(): DeferredResult<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((done, fail) => {
    resolve = done
    reject = fail
  })
  return { promise, resolve, reject }
}

/** A promise that settles at the machine's next change. */
export function deferred(): DeferredResult<void> {
  return deferredResult<void>()
}

/** `promise`, or a rejection as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal, 'Waiting for Keyway'))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, 'Waiting for Keyway'))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
