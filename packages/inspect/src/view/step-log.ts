import { eventLabel } from '../shared/event-label.js'
import type { StepMessage } from '../shared/messages.js'

/** How many steps the log shows; older ones drop off the bottom. */
const SHOWN = 60

/** `850 ms`, `12.35 s`, `3 min 05 s`. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)} s`
  const seconds = Math.floor(ms / 1_000)
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`
}

function cell(className: string, text: string): HTMLSpanElement {
  const span = document.createElement('span')
  span.className = className
  span.textContent = text
  return span
}

/**
 * The log of the machine's last steps, newest first: when each happened (since the
 * inspector started), how long after the one before, the event, and the state it led to.
 */
export class StepLog {
  readonly #list: HTMLOListElement
  #previous: StepMessage | undefined

  constructor(list: HTMLOListElement) {
    this.#list = list
  }

  /** Empties the log, as when the page reconnects and is sent the backlog again. */
  reset(): void {
    this.#list.replaceChildren()
    this.#previous = undefined
  }

  add(step: StepMessage): void {
    const item = document.createElement('li')
    const since = this.#previous === undefined ? '' : `+${duration(step.at - this.#previous.at)}`
    const state = step.active.at(-1) ?? step.status
    item.append(
      cell('event', eventLabel(step.event)),
      cell('since', since),
      cell('to', `→ ${state}`),
      cell('at', duration(step.at)),
    )
    this.#list.prepend(item)
    while (this.#list.children.length > SHOWN) this.#list.lastElementChild?.remove()
    this.#previous = step
  }
}
