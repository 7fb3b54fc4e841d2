import type { Actor } from 'xstate'
import { actorDeps } from '../keyway-actors.js'
import { bindActors } from '../machine/actors.js'
import { type KeywayMachine, keywayMachine } from '../machine/machine.js'
import { sealTokens } from '../machine/sealed-tokens.js'
import type { ResolvedOptions } from '../options.js'
import type { TokenSet } from '../tokens.js'
import { xstate } from '../xstate-runtime.js'
import type { KeywayListeners } from './listeners.js'
import { topState } from './snapshot-view.js'
import type { KeywayRuntimeOptions } from './types.js'
import { unrefClock } from './unref-clock.js'
import type { WorkUnderWay } from './work-under-way.js'

/** What a Keyway's machine actor is made with. */
export interface MachineActorSetup {
  readonly options: ResolvedOptions
  readonly inspect: KeywayRuntimeOptions['inspect']
  /** Hear the machine's emitted events and its changes of state. */
  readonly listeners: KeywayListeners
  /** Keeps the steps' work, for `stop()` to wait on. */
  readonly work: WorkUnderWay
  /** A store read already under way, for the first `restore` to reuse. */
  readonly restored: Promise<TokenSet | undefined> | undefined
  /** Tokens read before, held while the machine reads the store again. */
  readonly held: TokenSet | undefined
}

/**
 * The machine's actor for a Keyway, not yet started: its actors bound to the options, its
 * timers unref'd, the app's inspector attached, and what it emits passed on to the listeners.
 */
export function createMachineActor(setup: MachineActorSetup): Actor<KeywayMachine> {
  const { options, listeners, work } = setup
  const deps = actorDeps(options, {
    report: (error) => listeners.emit('error', error),
    track: (step) => work.track(step),
    ...(setup.restored === undefined ? {} : { restored: setup.restored }),
  })
  const { createActor } = xstate()
  const actor = createActor(keywayMachine().provide({ actors: bindActors(deps) }), {
    input: {
      refreshMargin: options.refreshMargin,
      clock: { now: options.protocol.clock, random: options.protocol.random },
      ...(setup.held === undefined ? {} : { tokens: sealTokens(setup.held) }),
    },
    clock: unrefClock,
    ...(setup.inspect === undefined ? {} : { inspect: setup.inspect }),
  })
  actor.on('tokens', (event) => listeners.emit('tokens', event.tokens.unseal()))
  actor.on('loginRequired', (event) => listeners.emit('loginRequired', event.error))
  actor.on('error', (event) => listeners.emit('error', event.error))
  actor.subscribe((snapshot) => listeners.stateChanged(topState(snapshot)))
  return actor
}
