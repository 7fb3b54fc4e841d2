import { setTimeout as sleep } from 'node:timers/promises'
import { KeywayError, KeywayErrorCodes } from '@keyway/core'

/** The code a promise rejects with (or why it is not a KeywayError). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return error instanceof KeywayError ? error.code : `not a KeywayError: ${String(error)}`
}

/** Retries `read` until the store's client has reconnected (ioredis backs off up to 2 s). */
export async function reconnected(read: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const code = await codeOf(read())
    if (code !== KeywayErrorCodes.storeUnavailable) return
    if (attempt === 50) throw new Error('the store never reconnected')
  }
}

/**
 * `promise`, or a failure naming `what` when it has not settled within `ms`: a bound against
 * hanging (far above the time the step needs, far below the failure it guards against).
 */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  const timer = new AbortController()
  const late = sleep(ms, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`${what} did not settle within ${ms} ms`)
  })
  late.catch(() => undefined)
  try {
    return await Promise.race([promise, late])
  } finally {
    timer.abort()
  }
}

/** Polls `check` until it is true, failing after `ms` with `what`. */
export async function eventually(
  ms: number,
  what: string,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    await sleep(25)
  }
}
