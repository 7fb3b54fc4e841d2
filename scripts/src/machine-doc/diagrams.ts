import { stateName, transitionLabel } from './labels.js'
import {
  isWithin,
  type MachineGraph,
  type MachineTransition,
  type StatePath,
} from './machine-graph.js'
import { fenced } from './markdown.js'

/** Edges between diagram nodes, each labelled with every transition that joins its two ends. */
class Edges {
  readonly #labels = new Map<string, { from: string; to: string; labels: string[] }>()

  add(from: string, to: string, label: string): void {
    const key = `${from} ${to}`
    const edge = this.#labels.get(key) ?? { from, to, labels: [] }
    if (!edge.labels.includes(label)) edge.labels.push(label)
    this.#labels.set(key, edge)
  }

  /** One `from --> to: label, label` line per edge, in the order the edges were first added. */
  lines(indent: string): string[] {
    return [...this.#labels.values()].map(
      ({ from, to, labels }) => `${indent}${from} --> ${to}: ${labels.join(', ')}`,
    )
  }

  /** The nodes the edges touch. */
  nodes(): Set<string> {
    return new Set([...this.#labels.values()].flatMap(({ from, to }) => [from, to]))
  }
}

/** Each transition with one target, once per target; transitions that stay are not drawn. */
function steps(transitions: readonly MachineTransition[]) {
  return transitions.flatMap((transition) =>
    transition.targets.map((target) => ({ transition, target })),
  )
}

/**
 * The overview: one `source --> target` line per pair of distinct top-level states that some
 * transition joins, labelled with every trigger (and guard) that does. A substate's
 * transitions are drawn from its top-level state, and a transition into a substate to its
 * top-level state; transitions that stay within one top-level state are left to its own
 * diagram.
 */
export function overviewDiagram(graph: MachineGraph): string {
  const edges = new Edges()
  for (const { transition, target } of steps(graph.transitions)) {
    const [from, to] = [transition.source[0], target[0]]
    if (from !== undefined && to !== undefined && from !== to) {
      edges.add(from, to, transitionLabel(transition))
    }
  }
  const lines = ['stateDiagram-v2', `  [*] --> ${graph.initial}`, ...edges.lines('  ')]
  return fenced('mermaid', lines.join('\n'))
}

/** The longest path both `a` and `b` lie within. */
function commonAncestor(a: StatePath, b: StatePath): StatePath {
  const length = a.findIndex((key, index) => b[index] !== key)
  return a.slice(0, length === -1 ? Math.min(a.length, b.length) : length)
}

/**
 * The diagram of one top-level state with substates: its substates (nested ones as nested
 * blocks) with their initial states, the transitions among them, and the transitions that
 * leave a substate or enter one from outside. Transitions the state defines itself, which
 * apply in every substate, are the overview's.
 */
export function nestedDiagram(graph: MachineGraph, top: string): string {
  const byName = new Map(graph.states.map((state) => [stateName(state.path), state]))
  const inside = (path: StatePath) => path.length > 1 && isWithin(path, [top])
  const ids = new Map<string, string>()
  /** A node's id in this diagram: its own key, which must name one state only. */
  const id = (path: StatePath) => {
    const key = path[path.length - 1] ?? top
    const owner = ids.get(key) ?? stateName(path)
    if (owner !== stateName(path)) {
      throw new Error(`${stateName(path)} and ${owner} would share the node ${key} in one diagram`)
    }
    ids.set(key, owner)
    return key
  }
  /** Edges by the block they are drawn in: the innermost state holding both ends' parents. */
  const blocks = new Map<string, Edges>()
  for (const { transition, target } of steps(graph.transitions)) {
    if (!inside(transition.source) && !inside(target)) continue
    const block = commonAncestor(transition.source.slice(0, -1), target.slice(0, -1))
    const name = isWithin(block, [top]) ? stateName(block) : ''
    const edges = blocks.get(name) ?? new Edges()
    edges.add(id(transition.source), id(target), transitionLabel(transition))
    blocks.set(name, edges)
  }
  const drawn = new Set([...blocks.values()].flatMap((edges) => [...edges.nodes()]))
  const block = (path: StatePath, indent: string): string[] => {
    const state = byName.get(stateName(path))!
    const children = state.children.map((key) => [...path, key])
    const nested = children.filter((child) => byName.get(stateName(child))!.children.length > 0)
    const lone = children.filter((child) => !nested.includes(child) && !drawn.has(id(child)))
    return [
      `${indent}state ${id(path)} {`,
      `${indent}  [*] --> ${state.initial}`,
      ...lone.map((child) => `${indent}  ${id(child)}`),
      ...nested.flatMap((child) => block(child, `${indent}  `)),
      ...(blocks.get(stateName(path))?.lines(`${indent}  `) ?? []),
      `${indent}}`,
    ]
  }
  const lines = ['stateDiagram-v2', ...block([top], '  '), ...(blocks.get('')?.lines('  ') ?? [])]
  return fenced('mermaid', lines.join('\n'))
}
