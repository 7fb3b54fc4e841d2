/**
 * Keyway's io-ts codecs, for the edges where untrusted input arrives: token endpoint
 * responses, authorization responses (callback queries), stored records. Transports import
 * them from here; they are kept out of `@keyway/core`'s main entry so that a program which
 * only reads a valid stored token never loads io-ts or fp-ts.
 *
 * @packageDocumentation
 */
export {
  type CallbackExpectation,
  CallbackParams,
  checkCallback,
  parseCallbackParams,
  providerCallbackError,
} from './callback.js'
export { decodeOrThrow, decodeWith, describeDecodeErrors } from './decode.js'
export { EpochMillis, NonEmptyString, type NonEmptyStringBrand, Seconds } from './primitives.js'
export { StoredRecord } from './stored-record-codec.js'
export { TokenEndpointResponse, toTokenSet } from './token-response.js'
