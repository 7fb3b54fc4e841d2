import type { DeviceAuthorizationResponse } from 'openid-client'
import type { DeviceAuthorization } from '../ports/transport.js'
import type { LoadedProtocol } from './client.js'

const responses = new WeakMap<DeviceAuthorization, DeviceAuthorizationResponse>()

/** Starts a device authorization (RFC 8628 §3.1) for the configured scopes. */
export async function startDeviceAuthorization(
  loaded: LoadedProtocol,
): Promise<DeviceAuthorization> {
  const { oidc, config, settings } = loaded
  const scope = settings.scopes.join(' ')
  const response = await oidc.initiateDeviceAuthorization(config, scope ? { scope } : {})
  const authorization: DeviceAuthorization = {
    userCode: response.user_code,
    verificationUri: response.verification_uri,
    ...(response.verification_uri_complete === undefined
      ? {}
      : { verificationUriComplete: response.verification_uri_complete }),
    expiresAt: settings.clock() + response.expires_in * 1000,
    interval: (response.interval ?? 5) * 1000,
  }
  responses.set(authorization, response)
  return authorization
}

/**
 * Polls until the person approves or denies, or the code expires; openid-client keeps the
 * server's interval and slows down on `slow_down`. Resolves with the raw token response.
 */
export async function pollDeviceGrant(
  loaded: LoadedProtocol,
  authorization: DeviceAuthorization,
  signal: AbortSignal,
): Promise<unknown> {
  const response = responses.get(authorization)
  if (response === undefined) {
    throw new Error('pollDeviceGrant needs an authorization returned by start()')
  }
  const expiry = AbortSignal.timeout(Math.max(0, authorization.expiresAt - loaded.settings.clock()))
  return loaded.oidc.pollDeviceAuthorizationGrant(loaded.config, response, undefined, {
    signal: AbortSignal.any([signal, expiry]),
  })
}
