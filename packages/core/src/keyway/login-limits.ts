import { abortError, configError, KeywayError, KeywayErrorCodes } from '../errors.js'

/** A `config_error` for a login `timeout` that is not a positive number of ms. */
export function loginTimeoutError(timeout: number | undefined): KeywayError | undefined {
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    return configError('login timeout must be a positive number of milliseconds.')
  }
  return undefined
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
