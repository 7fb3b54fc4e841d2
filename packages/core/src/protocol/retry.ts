import { abortError, type KeywayError, KeywayErrorCodes } from '../errors.js'
import { isFinalFailure, retryAfterOf } from './retry-advice.js'

/** How transient failures (network, HTTP 5xx, 429) of a token request are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. Default 4. */
  readonly attempts: number
  /** The first backoff delay, in ms; it doubles each time. Default 500. */
  readonly baseDelay: number
  /** The longest backoff delay, in ms. Default 10 000. */
  readonly maxDelay: number
  /** The longest `Retry-After` honoured, in ms: a longer one ends the retries. Default 60 000. */
  readonly maxRetryAfter: number
}

/** The retry policy used when the app gives none. */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 4,
  baseDelay: 500,
  maxDelay: 10_000,
  maxRetryAfter: 60_000,
}

/**
 * True for failures worth another try: the network (refused, reset, cut off mid-body, timed
 * out), HTTP 5xx and 429; not a host name that does not resolve.
 */
export function isTransient(error: KeywayError): boolean {
  return error.code === KeywayErrorCodes.network && !isFinalFailure(error)
}

/** Waits `ms` milliseconds, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal, 'The request'))
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError(signal, 'The request'))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `attempt` until it succeeds, fails with a non-transient error, or the policy's attempts
 * are spent. Backoff is capped exponential with full jitter; a `Retry-After` from the server
 * takes precedence. The caller's `signal` cuts any wait short.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  options: {
    readonly policy: RetryPolicy
    readonly toError: (error: unknown) => KeywayError
    readonly signal?: AbortSignal
    readonly random?: () => number
  },
): Promise<T> {
  const { policy, toError, signal, random = Math.random } = options
  for (let tried = 1; ; tried++) {
    try {
      return await attempt()
    } catch (thrown) {
      const error = toError(thrown)
      if (!isTransient(error) || tried >= policy.attempts) throw error
      const asked = retryAfterOf(error)
      if (asked !== undefined && asked > policy.maxRetryAfter) throw error
      const backoff = Math.min(policy.maxDelay, policy.baseDelay * 2 ** (tried - 1))
      await sleep(asked ?? Math.round(backoff * (0.5 + random() / 2)), signal)
    }
  }
}
