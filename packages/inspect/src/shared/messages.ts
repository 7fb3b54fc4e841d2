/**
 * What the server sends the page, one JSON message per server-sent event. Only names, state
 * values, timings and the context's JSON (in which Keyway seals every secret) ever leave the
 * process: never an event's payload, never a raw object.
 */

/** A state of the machine, as the chart draws it. */
export interface ChartState {
  /** The state's path below the machine, `authorized.waiting`: its id on the page. */
  readonly path: string
  /** Its own name, `waiting`. */
  readonly key: string
  /** The path of the state it sits in; absent at the top level. */
  readonly parent?: string
  readonly depth: number
  /** It is its parent's (or the machine's) initial state. */
  readonly initial: boolean
  /** `compound` when it holds states of its own. */
  readonly kind: 'atomic' | 'compound' | 'parallel' | 'final' | 'history'
  /** The actors it runs while active: `restore`, `refresh`, … */
  readonly runs: readonly string[]
  /** The named actions it runs on entry. */
  readonly entry: readonly string[]
  readonly transitions: readonly ChartTransition[]
}

/** A transition, as the chart labels it. */
export interface ChartTransition {
  /** `login`, `done`, `error`, `always`, `after untilRefresh`, … */
  readonly event: string
  /** The target's path, e.g. `authorized.retrying`; `(stays)` for a transition with none. */
  readonly target: string
  /** The guard's name (with its parameters, when plain: `restoresTo(idle)`); absent with none. */
  readonly guard?: string
}

/** The machine's definition: sent once, then whenever a page connects. */
export interface MachineMessage {
  readonly kind: 'machine'
  /** The machine's id, `keyway`. */
  readonly id: string
  /** Every state, parents before their children, in the order they are declared. */
  readonly states: readonly ChartState[]
}

/** One step of the machine: the event it took and where it stands after it. */
export interface StepMessage {
  readonly kind: 'step'
  /** Milliseconds since the inspector started. */
  readonly at: number
  /** The event's type, as xstate names it (`login`, `xstate.done.actor.…`). */
  readonly event: string
  /** Every active state's path, parents first: `['authorized', 'authorized.waiting']`. */
  readonly active: readonly string[]
  /** The actor's status: `active`, `done`, `error` or `stopped`. */
  readonly status: string
  /** The context as JSON (secrets sealed to summaries), cut short when very long. */
  readonly context: string
}

/** Everything the page is sent. */
export type InspectorMessage = MachineMessage | StepMessage
