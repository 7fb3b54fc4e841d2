import { AsyncLocalStorage } from 'node:async_hooks'

interface RequestScope {
  readonly signal: AbortSignal | undefined
  sentAt: number | undefined
}

const scope = new AsyncLocalStorage<RequestScope>()

/**
 * Runs one protocol operation with the caller's `signal` attached to every HTTP request it
 * makes, and reports when its last token request was sent. openid-client takes no signal of
 * its own for most calls, so the fetch Keyway hands it reads the signal from here.
 */
export async function inRequestScope<T>(
  signal: AbortSignal | undefined,
  run: () => Promise<T>,
): Promise<{ readonly result: T; readonly sentAt: number | undefined }> {
  const current: RequestScope = { signal, sentAt: undefined }
  const result = await scope.run(current, run)
  return { result, sentAt: current.sentAt }
}

/** The signal of the operation that is making a request, if any. */
export function scopeSignal(): AbortSignal | undefined {
  return scope.getStore()?.signal
}

/** Records that a request is being sent now, at `time` (epoch ms). */
export function markSent(time: number): void {
  const current = scope.getStore()
  if (current !== undefined) current.sentAt = time
}
