import type { KeywayError } from '@keyway/core'

const hints = new WeakMap<KeywayError, string>()

/**
 * Gives `error` the one line that says what to do instead, printed under the error (and as
 * `hint` in `--json`). Returns the error, to throw.
 */
export function withHint(error: KeywayError, hint: string): KeywayError {
  hints.set(error, hint)
  return error
}

/** The hint given to `error` by {@link withHint}, if any. */
export function hintOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? hints.get(error as KeywayError) : undefined
}
