import { type DeviceAuthorization, KeywayError, KeywayErrorCodes } from '@keyway/core'

/**
 * How long before the code's expiry (as this side computed it) the server may already treat
 * it as expired: servers count expiry in whole seconds from when they issued the code.
 */
const EXPIRY_SLACK = 1000

/**
 * Reads a polling failure at the end of the code's lifetime as the expiry it is. Servers
 * answer `expired_token` (core maps it to `timeout`), but some answer `invalid_grant` once
 * they have dropped the expired code, and core's own stop at the expiry time surfaces as a
 * request that did not finish; all three mean nobody approved in time. The person's denial
 * stays `access_denied`.
 *
 * @param now - the current time (epoch ms).
 */
export function expiryError(
  error: unknown,
  authorization: DeviceAuthorization,
  now: number,
): unknown {
  if (!(error instanceof KeywayError)) return error
  if (error.code === KeywayErrorCodes.accessDenied || error.code === KeywayErrorCodes.timeout) {
    return error
  }
  if (now < authorization.expiresAt - EXPIRY_SLACK) return error
  return new KeywayError(KeywayErrorCodes.timeout, 'The code expired before anyone approved it.', {
    cause: error,
  })
}
