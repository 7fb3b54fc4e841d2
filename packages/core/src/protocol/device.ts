import type { DeviceAuthorizationResponse, DPoPOptions } from 'openid-client'
import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { DeviceAuthorization } from '../ports/transport.js'
import type { LoadedProtocol } from './loaded-protocol.js'
import { withResources } from './resources.js'

const responses = new WeakMap<DeviceAuthorization, DeviceAuthorizationResponse>()

/** Starts a device authorization (RFC 8628 §3.1) for the configured scopes. */
export async function startDeviceAuthorization(
  loaded: LoadedProtocol,
): Promise<DeviceAuthorization> {
  const { oidc, config, settings } = loaded
  const scope = settings.scopes.join(' ')
  const response = await oidc.initiateDeviceAuthorization(
    config,
    withResources(scope ? { scope } : {}, settings.authorizationResources),
  )
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
 * A signal that aborts when the device code expires, with the `timeout` error that stands for
 * it: nobody approved in time. `cancel()` stops its timer.
 */
export function deviceCodeExpiry(authorization: DeviceAuthorization, now: number) {
  const controller = new AbortController()
  const timer = setTimeout(
    () =>
      controller.abort(
        new KeywayError(KeywayErrorCodes.timeout, 'The code expired before anyone approved it.'),
      ),
    Math.max(0, authorization.expiresAt - now),
  )
  timer.unref()
  return { signal: controller.signal, cancel: () => clearTimeout(timer) }
}

/**
 * Polls until the person approves or denies, or `signal` aborts (the caller, or the code's
 * expiry); openid-client keeps the server's interval and slows down on `slow_down`. Given
 * `dpop`, each poll proves possession of its key. Resolves with the raw token response.
 */
export async function pollDeviceGrant(
  loaded: LoadedProtocol,
  authorization: DeviceAuthorization,
  signal: AbortSignal,
  dpop?: DPoPOptions,
): Promise<unknown> {
  const response = responses.get(authorization)
  if (response === undefined) {
    throw new Error('pollDeviceGrant needs an authorization returned by start()')
  }
  const parameters = withResources({}, loaded.settings.tokenResources)
  return loaded.oidc.pollDeviceAuthorizationGrant(loaded.config, response, parameters, {
    signal,
    ...dpop,
  })
}
