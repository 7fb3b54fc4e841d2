/**
 * Keyway's core: `createKeyway()`, the xstate machine, the OAuth protocol (on openid-client),
 * the errors, the `Transport` and `TokenStore` ports, `memoryStore()` and `race()`.
 *
 * This entry stays light: xstate, openid-client, io-ts and fp-ts load when first needed (a
 * refresh, a login), so a program that only reads a valid stored token never loads them.
 * The io-ts codecs are at `@keyway/core/codecs`.
 *
 * @packageDocumentation
 */
export type { CallbackExpectation, CallbackParams } from './codecs/callback.js'
export type { NonEmptyStringBrand } from './codecs/primitives.js'
export {
  decodeStoredRecord,
  fromStoredRecord,
  parseStoredTokens,
  STORED_RECORD_VERSION,
  type StoredRecordJson,
  serializeTokens,
  toStoredRecord,
} from './codecs/stored-record.js'
export type { TokenEndpointResponse } from './codecs/token-response.js'
export type { DPoPKeyJwk } from './dpop/key.js'
export type {
  AuthorizationHeaders,
  AuthorizationHeadersOptions,
} from './dpop/resource-requests.js'
export { isLeft, isRight, left, right } from './either.js'
export {
  detectEnvironment,
  type Environment,
  type EnvironmentFacts,
  environmentVariables,
} from './environment.js'
export * from './errors.js'
export { heldTokens, type KeywaySnapshot, topState } from './keyway/snapshot-view.js'
export type {
  Keyway,
  KeywayEvents,
  KeywayRuntimeOptions,
  KeywayState,
  LoginOptions,
  TokenOptions,
} from './keyway/types.js'
export { unrefClock } from './keyway/unref-clock.js'
export { createKeyway } from './keyway.js'
export { type KeywayActorHooks, keywayActors } from './keyway-actors.js'
export { LeaseLock } from './lease-lock.js'
export type { KeywayActors } from './machine/actors.js'
export { DEFAULT_REFRESH_MARGIN, type KeywayMachine, keywayMachine } from './machine/machine.js'
export { type RestorePlan, restorePlan } from './machine/restore-plan.js'
export { effectiveMargin, planRefresh, planRetry, servingMinTtl } from './machine/schedule.js'
export type {
  KeywayContext,
  KeywayEmitted,
  KeywayEvent,
  KeywayMachineInput,
  MachineClock,
  PendingLogin,
  RefreshInput,
  RefreshOutput,
} from './machine/types.js'
export { memoryStore } from './memory-store.js'
export { DEFAULT_MAX_RESPONSE_BYTES, type KeywayOptions, storeKeyOf } from './options.js'
export * from './ports/store.js'
export * from './ports/transport.js'
export type { AuthorizationAttempt } from './protocol/authorization.js'
export { defaultFetch, proxyVariables, usesProxy } from './protocol/default-fetch.js'
export type { Fetch } from './protocol/fetch.js'
export { isAllowedEndpoint, isLoopbackHost } from './protocol/loopback-host.js'
export { defaultRetryPolicy, type RetryPolicy } from './protocol/retry.js'
export type {
  ClientAuthMethod,
  Endpoints,
  ResourceParameterName,
} from './protocol/settings.js'
export { race } from './race.js'
export { Sealed } from './sealed.js'
export * from './tokens.js'
