import type { AnyStateMachine } from 'xstate'

/** What xstate's `emit(…)` action creator returns: its event, or a function of the context. */
interface EmitAction {
  readonly type: 'xstate.emit'
  readonly event: { readonly type: string } | ((args: unknown) => { readonly type: string })
}

const isEmit = (action: unknown): action is EmitAction =>
  (typeof action === 'function' || typeof action === 'object') &&
  action !== null &&
  (action as { type?: unknown }).type === 'xstate.emit'

/** The type each emitting action's event has, by the action's name. */
export type EmittedByAction = ReadonlyMap<string, string>

/**
 * The machine's named actions that emit an event, with the event's type. An `emit(…)` whose
 * event is computed is asked for it with an empty context and event: the type is what a
 * document needs, the rest of the event is thrown away.
 */
export function emittingActions(machine: AnyStateMachine): EmittedByAction {
  const actions = Object.entries(machine.implementations.actions ?? {})
  return new Map(
    actions.flatMap(([name, action]): [string, string][] => {
      if (!isEmit(action)) return []
      const { event } = action
      const emitted =
        typeof event === 'function' ? event({ context: {}, event: { type: '' } }) : event
      return [[name, emitted.type]]
    }),
  )
}
