import type { KeywayError } from '../errors.js'

const retryAfter = new WeakMap<KeywayError, number>()
const final = new WeakSet<KeywayError>()

/** Records the delay (ms) a `Retry-After` header asked for on the response behind `error`. */
export function adviseRetryAfter(error: KeywayError, delay: number): void {
  retryAfter.set(error, delay)
}

/** The delay (ms) a `Retry-After` header asked for on the response behind `error`, if any. */
export function retryAfterOf(error: KeywayError): number | undefined {
  return retryAfter.get(error)
}

/**
 * Marks a network failure that trying again at once will not cure (a host name that does
 * not resolve): it fails at once instead of after the backoff.
 */
export function adviseNoRetry(error: KeywayError): void {
  final.add(error)
}

/** True when `error` was marked by {@link adviseNoRetry}. */
export function isFinalFailure(error: KeywayError): boolean {
  return final.has(error)
}
