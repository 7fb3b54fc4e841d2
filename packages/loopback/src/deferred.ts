/** A promise with its settling functions, as `Promise.withResolvers()` gives on Node 22. */
export interface Deferred<T> {
  readonly promise: Promise<T>
  readonly resolve: (value: T) => void
  readonly reject: (reason: unknown) => void
}

/**
 * Makes a {@link Deferred}. Its rejection counts as handled: it may well be settled before
 * anyone asks for it (a login cancelled before the browser was opened).
 */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  promise.catch(() => undefined)
  return { promise, resolve, reject }
}
