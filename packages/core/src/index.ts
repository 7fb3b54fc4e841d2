/**
 * Keyway's core: the xstate machine, the OAuth protocol (on openid-client, loaded on first
 * use), the codecs, the errors, the `Transport` and `TokenStore` ports, `createKeyway()` and
 * `memoryStore()`.
 *
 * @packageDocumentation
 */
export {
  type CallbackExpectation,
  CallbackParams,
  checkCallback,
  parseCallbackParams,
  providerCallbackError,
} from './codecs/callback.js'
export { describeDecodeErrors } from './codecs/decode.js'
export type { NonEmptyStringBrand } from './codecs/primitives.js'
export {
  fromStoredRecord,
  parseStoredTokens,
  STORED_RECORD_VERSION,
  type StoredRecordJson,
  serializeTokens,
  toStoredRecord,
} from './codecs/stored-record.js'
// Kept here until every transport imports the codecs from '@keyway/core/codecs'.
export { StoredRecord } from './codecs/stored-record-codec.js'
export { TokenEndpointResponse, toTokenSet } from './codecs/token-response.js'
export { isLeft, isRight, left, right } from './either.js'
export { detectEnvironment, type Environment, type EnvironmentFacts } from './environment.js'
export * from './errors.js'
export {
  createKeyway,
  type Keyway,
  type KeywayEvents,
  type KeywayRuntimeOptions,
  type KeywayState,
  type LoginOptions,
  type TokenOptions,
} from './keyway.js'
export { LeaseLock } from './lease-lock.js'
export { type KeywayMachine, keywayMachine } from './machine/machine.js'
export { planRefresh, planRetry } from './machine/schedule.js'
export type {
  KeywayContext,
  KeywayEmitted,
  KeywayEvent,
  KeywayMachineInput,
  MachineClock,
  PendingLogin,
} from './machine/types.js'
export { memoryStore } from './memory-store.js'
export type { KeywayOptions } from './options.js'
export * from './ports/store.js'
export * from './ports/transport.js'
export type { AuthorizationAttempt } from './protocol/authorization.js'
export type { Fetch } from './protocol/fetch.js'
export { isAllowedEndpoint, isLoopbackHost } from './protocol/loopback-host.js'
export { defaultRetryPolicy, type RetryPolicy } from './protocol/retry.js'
export type { ClientAuthMethod, Endpoints } from './protocol/settings.js'
export { race } from './race.js'
export { Sealed } from './sealed.js'
export * from './tokens.js'
