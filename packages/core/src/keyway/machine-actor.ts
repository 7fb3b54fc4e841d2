import type { Actor } from 'xstate'
import type { ActorDeps } from '../machine/actor-deps.js'
import { keywayActors } from '../machine/actors.js'
import { type KeywayMachine, keywayMachine } from '../machine/machine.js'
import type { MachineClock } from '../machine/types.js'
import { xstate } from '../xstate-runtime.js'
import type { KeywayListeners } from './listeners.js'
import { unrefClock } from './states.js'
import type { KeywayRuntimeOptions } from './types.js'

/** What the machine's actor is made with, besides its actors' dependencies. */
export interface MachineActorSetup {
  readonly refreshMargin: number
  readonly clock: MachineClock
  readonly inspect: KeywayRuntimeOptions['inspect']
}

/**
 * The machine's actor for a Keyway, not yet started: its actors bound to `deps`, its timers
 * unref'd, the app's inspector attached, and the events it emits passed on to `listeners`.
 */
export function createMachineActor(
  deps: ActorDeps,
  setup: MachineActorSetup,
  listeners: KeywayListeners,
): Actor<KeywayMachine> {
  const { createActor } = xstate()
  const machine = keywayMachine().provide({ actors: keywayActors(deps) })
  const actor = createActor(machine, {
    input: { refreshMargin: setup.refreshMargin, clock: setup.clock },
    clock: unrefClock,
    ...(setup.inspect === undefined ? {} : { inspect: setup.inspect }),
  })
  actor.on('tokens', (event) => listeners.machineSaved(event.tokens.unseal()))
  actor.on('loginRequired', (event) => listeners.emit('loginRequired', event.error))
  actor.on('error', (event) => listeners.emit('error', event.error))
  return actor
}
