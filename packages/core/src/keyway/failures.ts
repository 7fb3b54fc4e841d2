import { KeywayError, KeywayErrorCodes } from '../errors.js'

/** What calls to a stopped Keyway reject with. */
export function stoppedError(): KeywayError {
  return new KeywayError(KeywayErrorCodes.aborted, 'Keyway was stopped.')
}

/** True for failures a login would not cure: the store or the network. */
export function isStoreOrNetwork(error: KeywayError | undefined): error is KeywayError {
  return (
    error !== undefined &&
    (error.code === KeywayErrorCodes.storeError ||
      error.code === KeywayErrorCodes.storeUnavailable ||
      error.code === KeywayErrorCodes.network)
  )
}

/** A `login_required` error, keeping the provider's error that led to it. */
export function loginRequired(message: string, cause?: KeywayError): KeywayError {
  return new KeywayError(KeywayErrorCodes.loginRequired, `${message} Log in again.`, {
    ...(cause === undefined ? {} : { cause }),
    ...(cause?.error === undefined ? {} : { error: cause.error }),
  })
}
