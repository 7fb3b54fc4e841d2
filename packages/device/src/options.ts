import type { Writable } from 'node:stream'
import { configError, type DeviceAuthorization } from '@keyway/core'

/** Options of {@link device}. Times are milliseconds. */
export interface DeviceOptions {
  /** Where the address and the code are shown. Default `process.stderr`. */
  readonly output?: Writable
  /**
   * Gives up with `timeout` when nobody approved within this time; the device code's own
   * expiry (set by the provider) ends the wait in any case.
   */
  readonly timeout?: number
  /**
   * Shows the address and the code in the app's own way (a QR code, a dialog); nothing is
   * written to `output` then, and the app tells the person how the login ended.
   */
  readonly show?: (authorization: DeviceAuthorization) => void
}

/** The options of {@link device} checked; the stream is picked on use. */
export interface DeviceSettings {
  readonly output: () => Writable
  readonly timeout: number | undefined
  readonly show: ((authorization: DeviceAuthorization) => void) | undefined
}

/** Checks the options of {@link device}; every problem is a `config_error`. */
export function resolveDeviceOptions(options: DeviceOptions): DeviceSettings {
  const { timeout, show, output } = options
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw configError('device(): timeout must be a positive number of milliseconds.')
  }
  if (show !== undefined && typeof show !== 'function') {
    throw configError('device(): show must be a function.')
  }
  return { output: () => output ?? process.stderr, timeout, show }
}
