import { abortError, configError, KeywayError, KeywayErrorCodes } from '../errors.js'

/** Throws a `config_error` for a login `timeout` that is not a positive number of ms. */
export function assertLoginTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw configError('login timeout must be a positive number of milliseconds.')
  }
}

/**
 * Calls `cancel` with `aborted` when `signal` aborts (at once if it already has), or with
 * `timeout` once `timeout` ms have passed. Returns the function that lets both go.
 */
export function limitLogin(
  cancel: (error: KeywayError) => void,
  signal: AbortSignal | undefined,
  timeout: number | undefined,
): () => void {
  const onAbort = () => cancel(abortError(signal))
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(
          () =>
            cancel(
              new KeywayError(KeywayErrorCodes.timeout, `The login timed out after ${timeout} ms.`),
            ),
          timeout,
        )
  signal?.addEventListener('abort', onAbort, { once: true })
  if (signal?.aborted) onAbort()
  return () => {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}
