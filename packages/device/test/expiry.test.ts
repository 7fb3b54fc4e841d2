import { type DeviceAuthorization, KeywayError } from '@keyway/core'
import { describe, expect, it } from 'vitest'
import { expiryError } from '../src/expiry.js'

const authorization: DeviceAuthorization = {
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://id.example.com/device',
  expiresAt: 100_000,
  interval: 5_000,
}
const invalidGrant = new KeywayError('provider_error', 'The device authorization failed.', {
  error: 'invalid_grant',
})

describe('expiryError', () => {
  it('reads a failure at the end of the code’s lifetime as timeout, keeping the cause', () => {
    const error = expiryError(invalidGrant, authorization, 99_500)
    expect(error).toMatchObject({
      code: 'timeout',
      message: 'The code expired before anyone approved it.',
      cause: invalidGrant,
    })
  })

  it('reads core’s own stop at the expiry time as timeout', () => {
    const stopped = new KeywayError('network', 'The provider did not answer in time.')
    expect(expiryError(stopped, authorization, 100_001)).toMatchObject({ code: 'timeout' })
  })

  it('leaves a failure well before the expiry as it is', () => {
    expect(expiryError(invalidGrant, authorization, 50_000)).toBe(invalidGrant)
  })

  it('leaves a denial as access_denied, even at the expiry', () => {
    const denied = new KeywayError('access_denied', 'The person denied.')
    expect(expiryError(denied, authorization, 100_000)).toBe(denied)
  })

  it('leaves what is not a KeywayError alone', () => {
    const odd = new Error('odd')
    expect(expiryError(odd, authorization, 100_000)).toBe(odd)
  })
})
