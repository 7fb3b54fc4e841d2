import { configError, type KeywayError } from './errors.js'
import type { ActorDeps } from './machine/actor-deps.js'
import { bindActors, type KeywayActors } from './machine/actors.js'
import { type KeywayOptions, type ResolvedOptions, resolveOptions } from './options.js'
import type { Protocol } from './protocol/client.js'
import type { TokenSet } from './tokens.js'

/** What the actors tell besides their results, and what `createKeyway()` adds. */
export interface KeywayActorHooks {
  /**
   * Hears of problems that did not stop a step: a corrupt record set aside, a revocation
   * that failed, a transport that could not show the outcome.
   */
  readonly report?: (error: KeywayError) => void
  /** @internal A store read already under way, for the first `restore`. */
  readonly restored?: Promise<TokenSet | undefined>
  /** @internal Told of every step's work, for `stop()` to wait on. */
  readonly track?: <T>(work: Promise<T>) => Promise<T>
}

/**
 * The protocol for `settings`, loaded (with openid-client) on its first use; a failed load is
 * a `config_error` (the package is missing or broken) and is tried again next time.
 */
function protocolLoader(options: ResolvedOptions): () => Promise<Protocol> {
  let loading: Promise<Protocol> | undefined
  return () => {
    loading ??= import('./protocol/client.js').then(
      ({ Protocol }) => new Protocol(options.protocol),
      (cause: unknown) => {
        loading = undefined
        throw configError('The OAuth protocol (openid-client) could not be loaded.', cause)
      },
    )
    return loading
  }
}

/** What the actors of a machine for `options` work with. */
export function actorDeps(options: ResolvedOptions, hooks: KeywayActorHooks = {}): ActorDeps {
  return {
    protocol: protocolLoader(options),
    store: options.store,
    key: options.storeKey,
    transport: options.transport,
    lockLease: options.lockLease,
    now: options.protocol.clock,
    report: hooks.report ?? (() => undefined),
    ...(hooks.restored === undefined ? {} : { restored: hooks.restored }),
    ...(hooks.track === undefined ? {} : { track: hooks.track }),
  }
}

/**
 * The actors that Keyway's machine runs, for the provider, client, transport and store in
 * `options` (the same options as `createKeyway()`): give them to `keywayMachine().provide()`
 * to run the machine yourself, e.g. as a child of your own machine. Everything
 * `createKeyway()` does (single-flight refresh under the store's lock, `loginRequired`,
 * saving before announcing) is in the machine and these actors.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate'
 * import { keywayActors, keywayMachine, memoryStore } from '@keyway/core'
 *
 * const machine = keywayMachine().provide({
 *   actors: keywayActors({ issuer: 'https://accounts.example.com', clientId: 'my-cli', store: memoryStore() }),
 * })
 * const actor = createActor(machine, { input: { refreshMargin: 60_000 } }).start()
 * ```
 */
export function keywayActors(options: KeywayOptions, hooks: KeywayActorHooks = {}): KeywayActors {
  return bindActors(actorDeps(resolveOptions(options), hooks))
}
