import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate'

/** A state's place in the machine: its keys from the top level down, e.g. `['authorized', 'waiting']`. */
export type StatePath = readonly string[]

/** What sets a transition off. */
export type Trigger =
  /** An event the machine is sent, e.g. `login`. */
  | { readonly kind: 'event'; readonly event: string }
  /** How an invoked actor ended. */
  | { readonly kind: 'done' | 'error'; readonly actor: string }
  /** A timer, by its delay's name (or its length in ms). */
  | { readonly kind: 'after'; readonly delay: string }
  /** An eventless step, taken as soon as its guard holds. */
  | { readonly kind: 'always' }

/** One transition the machine defines. */
export interface MachineTransition {
  /** The state that defines it (it applies in every substate of that state too). */
  readonly source: StatePath
  readonly trigger: Trigger
  /** The guard's name, with its parameters, e.g. `restoresTo(authorized)`; none when unguarded. */
  readonly guard: string | undefined
  /** Unguarded, after guarded alternatives for the same trigger: taken when none of them held. */
  readonly otherwise: boolean
  /** Where it leads; empty when it stays. */
  readonly targets: readonly StatePath[]
  /** The named actions it runs (inline ones, such as `assign(…)`, are left out). */
  readonly actions: readonly string[]
}

/** One state of the machine. */
export interface MachineState {
  readonly path: StatePath
  /** Its substates' keys, in definition order; empty for an atomic state. */
  readonly children: readonly string[]
  /** The substate it starts in, when it has substates. */
  readonly initial: string | undefined
  /** The named actions it runs on entry. */
  readonly entry: readonly string[]
  /** The actors it invokes, by source name. */
  readonly invokes: readonly string[]
}

/** The machine's definition as plain data: every state and every transition, in definition order. */
export interface MachineGraph {
  /** The top-level state the machine starts in. */
  readonly initial: string
  /** Every state below the root, parents before their substates. */
  readonly states: readonly MachineState[]
  readonly transitions: readonly MachineTransition[]
}

/** The named actions of a list; xstate's inline actions (`assign`, `raise`…) have no name. */
function actionNames(actions: readonly unknown[]): string[] {
  return actions.flatMap((action) => {
    if (typeof action === 'string') return [action]
    const type = (action as { type?: unknown }).type
    return typeof type === 'string' && !type.startsWith('xstate.') ? [type] : []
  })
}

/** A guard as written in the config: a name, `{ type, params }`, or an inline function. */
function guardName(guard: AnyTransitionDefinition['guard']): string | undefined {
  if (guard === undefined) return undefined
  if (typeof guard === 'string') return guard
  if (typeof guard === 'function') return guard.name || 'inline guard'
  const { type, params } = guard as { type: string; params?: unknown }
  if (params === undefined || typeof params !== 'object' || params === null) return type
  return `${type}(${Object.values(params).map(String).join(', ')})`
}

/** What an event type on `node` stands for: an event, an actor's outcome, a timer. */
function triggerOf(node: AnyStateNode, eventType: string): Trigger {
  if (eventType === '') return { kind: 'always' }
  const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(eventType)
  if (outcome) {
    const invoke = node.invoke.find((definition) => definition.id === outcome[2])
    const actor = typeof invoke?.src === 'string' ? invoke.src : (outcome[2] ?? eventType)
    return { kind: outcome[1] as 'done' | 'error', actor }
  }
  const timer = node.after.find((delayed) => delayed.eventType === eventType)
  if (timer) {
    const { delay } = timer as { delay: unknown }
    return { kind: 'after', delay: typeof delay === 'number' ? `${delay} ms` : String(delay) }
  }
  return { kind: 'event', event: eventType }
}

/** The transitions of one trigger on one state, in the order xstate tries them. */
function alternatives(
  node: AnyStateNode,
  trigger: Trigger,
  definitions: readonly AnyTransitionDefinition[],
): MachineTransition[] {
  return definitions.map((definition, index) => {
    const guard = guardName(definition.guard)
    return {
      source: node.path,
      trigger,
      guard,
      otherwise:
        guard === undefined && definitions.slice(0, index).some((t) => t.guard !== undefined),
      targets: (definition.target ?? []).map((target) => target.path),
      actions: actionNames(definition.actions),
    }
  })
}

/** The transitions `node` defines itself: events, actor outcomes, timers, eventless steps. */
function ownTransitions(node: AnyStateNode): MachineTransition[] {
  const groups = [...node.transitions].map(([eventType, definitions]) =>
    alternatives(node, triggerOf(node, eventType), definitions),
  )
  const always = node.always ?? []
  return groups.flat().concat(alternatives(node, { kind: 'always' }, always))
}

/** `node` and its descendants, parents first. */
function descendants(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendants(child)])
}

/**
 * Walks `machine.root`: every state node below it, with its substates, initial substate,
 * entry actions and invoked actors, and every transition (`on`, `always`, `after`, and the
 * `onDone` / `onError` of each `invoke`) with its guard, targets and named actions.
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const { root } = machine
  if (root.transitions.size > 0 || (root.always?.length ?? 0) > 0) {
    throw new Error("Transitions on the machine's root are not drawn: define them on states.")
  }
  const initial = root.initial?.target?.[0]?.key
  if (initial === undefined) throw new Error('The machine has no initial state.')
  const nodes = descendants(root)
  return {
    initial,
    states: nodes.map((node) => ({
      path: node.path,
      children: Object.keys(node.states),
      initial: node.initial?.target?.[0]?.key,
      entry: actionNames(node.entry),
      invokes: node.invoke.map((definition) =>
        typeof definition.src === 'string' ? definition.src : definition.id,
      ),
    })),
    transitions: nodes.flatMap(ownTransitions),
  }
}

/** Whether `path` is `ancestor` or lies inside it. */
export function isWithin(path: StatePath, ancestor: StatePath): boolean {
  return ancestor.every((key, index) => path[index] === key)
}
