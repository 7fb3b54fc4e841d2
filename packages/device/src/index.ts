/**
 * Keyway's transport for the OAuth 2.0 device authorization grant (RFC 8628): the person
 * approves on another device by entering a short code.
 *
 * @packageDocumentation
 */
export { device } from './device.js'
export type { DeviceOptions } from './options.js'
