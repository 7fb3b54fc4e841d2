import { KeywayError } from '@keyway/core'

/** The `KeywayError` that `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<KeywayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  if (!(error instanceof KeywayError)) {
    throw new Error(`expected a KeywayError, got ${String(error)}`)
  }
  return error
}
