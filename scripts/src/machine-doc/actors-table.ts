import { alternativesText, stateName } from './labels.js'
import type { MachineGraph } from './machine-graph.js'
import type { ActorDoc } from './machine-sources.js'
import { code, table } from './markdown.js'

/**
 * The machine's actors: where each is invoked, what it takes and ends with (from
 * `KeywayActors`), where its success and its failure lead, and what it does (its TSDoc).
 */
export function actorsTable(graph: MachineGraph, actors: readonly ActorDoc[]): string {
  const invoked = new Set(graph.states.flatMap((state) => state.invokes))
  const documented = new Set(actors.map((actor) => actor.name))
  const undocumented = [...invoked].filter((name) => !documented.has(name))
  if (undocumented.length > 0) {
    throw new Error(`The machine invokes actors KeywayActors lacks: ${undocumented.join(', ')}`)
  }
  const outcome = (name: string, kind: 'done' | 'error') =>
    alternativesText(
      graph.transitions.filter(({ trigger }) => trigger.kind === kind && trigger.actor === name),
    )
  const rows = actors.map((actor) => [
    code(actor.name),
    graph.states
      .filter((state) => state.invokes.includes(actor.name))
      .map((state) => code(stateName(state.path)))
      .join(', ') || 'nowhere',
    actor.input === undefined ? 'none' : code(actor.input),
    code(actor.output),
    outcome(actor.name, 'done'),
    outcome(actor.name, 'error'),
    actor.doc,
  ])
  return table(
    ['actor', 'invoked in', 'input', 'output', 'when done', 'when it fails', 'what it does'],
    rows,
  )
}
