import type { InspectionEvent } from 'xstate'
import { activeStates } from './active-states.js'
import { type ChartNode, machineChart } from './machine-chart.js'
import { redactedJson } from './redacted-json.js'
import type { InspectorMessage, MachineMessage, StepMessage } from './shared/messages.js'

/** How many steps a page that connects late is shown. */
export const DEFAULT_HISTORY = 200

/** The root state node of a machine actor's logic, or undefined for other logic. */
function rootNodeOf(actorRef: unknown): ChartNode | undefined {
  const root = (actorRef as { logic?: { root?: Partial<ChartNode> } }).logic?.root
  return typeof root?.id === 'string' && root.transitions instanceof Map
    ? (root as ChartNode)
    : undefined
}

/**
 * Turns xstate inspection events into the page's messages: the root machine's definition
 * once, then one step per snapshot of it, with the event that led there. Only names, state
 * values and the context's redacted JSON are taken from the events; child actors (the
 * machine's promise actors) show through the `done` and `error` events they send it. Keeps
 * the last steps for pages that connect later, and hands new messages to its listeners.
 */
export class InspectionFeed {
  readonly #started = performance.now()
  readonly #history: number
  readonly #steps: StepMessage[] = []
  readonly #listeners = new Set<(message: InspectorMessage) => void>()
  #rootId: string | undefined
  #machine: MachineMessage | undefined

  constructor(history = DEFAULT_HISTORY) {
    this.#history = history
  }

  /** Takes one inspection event; whatever is not about the first root actor is ignored. */
  take(event: InspectionEvent): void {
    if (event.actorRef.sessionId !== event.rootId) return
    this.#rootId ??= event.rootId
    if (event.rootId !== this.#rootId) return
    if (event.type === '@xstate.actor') {
      const root = rootNodeOf(event.actorRef)
      if (root === undefined) return
      this.#machine = machineChart(root)
      this.#publish(this.#machine)
    } else if (event.type === '@xstate.snapshot') {
      const snapshot = event.snapshot as { value?: unknown; status?: unknown; context?: unknown }
      const step: StepMessage = {
        kind: 'step',
        at: Math.round((performance.now() - this.#started) * 10) / 10,
        event: String(event.event.type),
        active: activeStates(snapshot.value),
        status: String(snapshot.status),
        context: redactedJson(snapshot.context),
      }
      this.#steps.push(step)
      if (this.#steps.length > this.#history) this.#steps.shift()
      this.#publish(step)
    }
  }

  /** What a page that connects now is sent first: the machine, then the steps kept. */
  get backlog(): readonly InspectorMessage[] {
    return this.#machine === undefined ? [...this.#steps] : [this.#machine, ...this.#steps]
  }

  /** Hears every new message; returns the function that stops listening. */
  listen(listener: (message: InspectorMessage) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #publish(message: InspectorMessage): void {
    for (const listener of this.#listeners) listener(message)
  }
}
