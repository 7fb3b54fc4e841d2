/**
 * Keyway's test kit: a real OpenID Provider for development and tests, a scripted browser
 * that signs in and consents over HTTP, and contract suites for stores and transports.
 *
 * @packageDocumentation
 */

export { chromiumArgs, launchChromium, requireChromium } from './chromium.js'
export { CollectedOutput } from './collected-output.js'
export { mergedFailures } from './cross-process/merged-failures.js'
export {
  type ChildStoreSpec,
  type SeenToken,
  tokenDigest,
  type WorkerMessage,
} from './cross-process/protocol.js'
export { tokenChain } from './cross-process/token-chain.js'
export {
  type FinalReport,
  type LockHolder,
  type Refresher,
  type RefresherOutcome,
  startLockHolder,
  startRefresher,
  TokenWorkers,
  type TokenWorkersOptions,
} from './cross-process/token-workers.js'
export { type EndpointName, RequestCounters } from './dev-provider/counters.js'
export {
  type DevProvider,
  type DevProviderOptions,
  devClients,
  startDevProvider,
} from './dev-provider/provider.js'
export { introspectToken, type TokenIntrospection } from './dpop/introspection.js'
export type { ProofRefusal } from './dpop/proof-check.js'
export {
  type DPoPResourceServer,
  type DPoPResourceServerOptions,
  startDPoPResourceServer,
} from './dpop/resource-server.js'
export { jwkThumbprint } from './dpop/thumbprint.js'
export { findExecutable, requireAll, requireProgram } from './requirements.js'
export type { ScriptedDeviceConsent, ScriptedDeviceResult } from './scripted-browser.js'
export { ScriptedBrowser, type ScriptedConsent, type ScriptedResult } from './scripted-browser.js'
export {
  devStoreKey,
  loginToStore,
  type ScriptedTransportOptions,
  scriptedTransport,
} from './scripted-transport.js'
export {
  type ForwardedRequest,
  type ForwardProxy,
  startForwardProxy,
} from './services/forward-proxy.js'
export { freeLoopbackPort } from './services/free-port.js'
export {
  type NodeScript,
  type NodeScriptExit,
  startNodeScript,
} from './services/node-script.js'
export {
  type RedisCluster,
  type RedisClusterOptions,
  startRedisCluster,
} from './services/redis-cluster.js'
export {
  type Failover,
  type LoopbackAddress,
  type RedisSentinelGroup,
  type RedisSentinelOptions,
  startRedisSentinel,
} from './services/redis-sentinel.js'
export {
  type RedisServer,
  type RedisServerOptions,
  startRedisServer,
} from './services/redis-server.js'
export {
  type SecretService,
  type SecretServicePrograms,
  startSecretService,
} from './services/secret-service.js'
export {
  makeSelfSignedCertificate,
  type SelfSignedCertificate,
} from './services/self-signed-certificate.js'
