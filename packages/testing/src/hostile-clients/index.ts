/**
 * Hostile local clients of a loopback redirect receiver, for tests and benchmarks that check
 * it survives them: raw-socket requests that no client library would send, connections that
 * linger (idle or slow-loris), hundreds of kinds of garbage requests, and a fast-check
 * arbitrary of fuzzed ones. Everything here speaks to `127.0.0.1` only.
 *
 * @example
 * ```ts
 * import { garbageRequests, rawExchange } from '@keyway/testing/hostile-clients'
 *
 * for (const bytes of garbageRequests('127.0.0.1:41234')) {
 *   const answer = await rawExchange(41234, bytes) // resolves once the receiver closed
 * }
 * ```
 *
 * @packageDocumentation
 */
export {
  anyText,
  type FuzzedRequest,
  fuzzedRequest,
  fuzzedTarget,
  trickyText,
} from './fuzzed-requests.js'
export { garbageRequests } from './garbage-requests.js'
export {
  type LingeringSocket,
  lingeringShapes,
  lingeringSocket,
  type RawAnswer,
  rawExchange,
} from './raw-sockets.js'
