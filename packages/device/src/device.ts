import {
  KeywayError,
  KeywayErrorCodes,
  type TokenSet,
  type TokenTransport,
  type TokenTransportContext,
} from '@keyway/core'
import { expiryError } from './expiry.js'
import { instructions, outcomeLine } from './messages.js'
import { type DeviceOptions, type DeviceSettings, resolveDeviceOptions } from './options.js'

/** An abort signal for the whole wait: the login's own, and the transport's `timeout`. */
function waitSignal(signal: AbortSignal, timeout: number | undefined) {
  if (timeout === undefined) return { signal, stop: () => undefined }
  const expired = new AbortController()
  const timer = setTimeout(
    () =>
      expired.abort(
        new KeywayError(
          KeywayErrorCodes.timeout,
          `Nobody approved the device within ${timeout} ms.`,
        ),
      ),
    timeout,
  )
  return { signal: AbortSignal.any([signal, expired.signal]), stop: () => clearTimeout(timer) }
}

async function authorizeDevice(
  settings: DeviceSettings,
  { signal, device: protocol }: TokenTransportContext,
): Promise<TokenSet> {
  // An app that shows the code its own way tells the person the outcome its own way too.
  const write =
    settings.show === undefined ? (text: string) => settings.output().write(text) : undefined
  const wait = waitSignal(signal, settings.timeout)
  try {
    const authorization = await protocol.start(wait.signal)
    if (write === undefined) settings.show?.(authorization)
    else write(instructions(authorization, Date.now()))
    const tokens = await protocol.poll(authorization, wait.signal).catch((error: unknown) => {
      throw wait.signal.aborted ? error : expiryError(error, authorization, Date.now())
    })
    write?.(outcomeLine({ ok: true }))
    return tokens
  } catch (error) {
    if (error instanceof KeywayError) write?.(outcomeLine({ ok: false, error }))
    throw error
  } finally {
    wait.stop()
  }
}

/**
 * The OAuth 2.0 device authorization grant (RFC 8628), for devices without a browser or
 * keyboard and for terminals far from one: it shows an address and a code to enter there on
 * any device; core polls the token endpoint at the server's interval, slowing down when told.
 * The person's denial ends the login with `access_denied`, the code's expiry with `timeout`.
 *
 * It yields tokens itself, so it is passed alone as the transport (it cannot join a `race`).
 * The provider must offer a device authorization endpoint (discovered, or given as
 * `endpoints.deviceAuthorization`).
 *
 * @throws `config_error` for an invalid `timeout` or `show`.
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { device } from '@keyway/device'
 * const kw = createKeyway({ issuer, clientId, transport: device({ timeout: 300_000 }) })
 * await kw.login()
 * ```
 */
export function device(options: DeviceOptions = {}): TokenTransport {
  const settings = resolveDeviceOptions(options)
  return {
    kind: 'tokens',
    name: 'device',
    authorize: (context) => authorizeDevice(settings, context),
  }
}
