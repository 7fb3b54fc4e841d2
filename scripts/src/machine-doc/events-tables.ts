import type { EmittedByAction } from './emitted-actions.js'
import { alternativesText, stateName, targetText, transitionLabel } from './labels.js'
import type { MachineGraph, MachineTransition } from './machine-graph.js'
import type { EventDoc } from './machine-sources.js'
import { code, table } from './markdown.js'

/** An event's name with its other fields: `` `login.cancel` `{ error: KeywayError }` ``. */
function eventCell(event: EventDoc): string {
  if (event.fields.length === 0) return code(event.name)
  const fields = event.fields.map((field) => `${field.name}: ${field.type}`).join('; ')
  return `${code(event.name)} ${code(`{ ${fields} }`)}`
}

/** `items`, grouped by `key` in the order each key first appears. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item])
  return groups
}

/** Fails when the machine and the sources do not name the same events. */
function checkSameNames(what: string, inMachine: Iterable<string>, inSources: Iterable<string>) {
  const machine = new Set(inMachine)
  const sources = new Set(inSources)
  const missing = [...machine].filter((name) => !sources.has(name))
  const unused = [...sources].filter((name) => !machine.has(name))
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(
      `${what}: the machine and its types disagree (not declared: ${missing.join(', ') || 'none'}; never used: ${unused.join(', ') || 'none'})`,
    )
  }
}

/**
 * The events the machine accepts: for each, one row per state that handles it, with where
 * it leads from there. The event's description is its TSDoc in `KeywayEvent`.
 */
export function eventsInTable(graph: MachineGraph, events: readonly EventDoc[]): string {
  const handled = graph.transitions.filter((t) => t.trigger.kind === 'event')
  const byEvent = groupBy(handled, (t) => (t.trigger.kind === 'event' ? t.trigger.event : ''))
  checkSameNames(
    'events in',
    byEvent.keys(),
    events.map((event) => event.name),
  )
  const compound = new Set(
    graph.states.filter((state) => state.children.length > 0).map((s) => stateName(s.path)),
  )
  const rows = events.flatMap((event) =>
    [...groupBy(byEvent.get(event.name) ?? [], (t) => stateName(t.source))].map(
      ([state, alternatives], index) => [
        index === 0 ? eventCell(event) : '',
        index === 0 ? event.doc : '',
        `${code(state)}${compound.has(state) ? ' (any substate)' : ''}`,
        alternativesText(alternatives),
      ],
    ),
  )
  return table(['event', 'what it asks', 'accepted in', 'leads to'], rows)
}

/** A transition as a step: `` `refreshing` → `authorized` on refresh done [wasSaved] ``. */
function stepText(transition: MachineTransition): string {
  return `${code(stateName(transition.source))} → ${targetText(transition)} on ${transitionLabel(transition)}`
}

/**
 * The events the machine emits for the app: when each is emitted (the transitions and state
 * entries whose actions emit it), with its TSDoc from `KeywayEmitted`.
 */
export function emittedTable(
  graph: MachineGraph,
  emitted: readonly EventDoc[],
  emitters: EmittedByAction,
): string {
  const emits = (actions: readonly string[], type: string) =>
    actions.some((action) => emitters.get(action) === type)
  checkSameNames(
    'events emitted',
    emitters.values(),
    emitted.map((event) => event.name),
  )
  const rows = emitted.map((event) => {
    const entries = graph.states
      .filter((state) => emits(state.entry, event.name))
      .map((state) => `on entering ${code(stateName(state.path))}`)
    const steps = graph.transitions.filter((t) => emits(t.actions, event.name)).map(stepText)
    return [eventCell(event), event.doc, [...steps, ...entries].join('<br>')]
  })
  return table(['event', 'what it says', 'emitted'], rows)
}
