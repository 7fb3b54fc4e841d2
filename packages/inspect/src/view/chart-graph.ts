import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js'
import type { ChartState, ChartTransition, MachineMessage } from '../shared/messages.js'

/** What the chart draws for one arrow: every transition between the same two states. */
export interface ChartArrow {
  readonly id: string
  readonly source: string
  readonly target: string
  /** One line per transition: `login`, `error [hasTokens]`. */
  readonly lines: readonly string[]
}

/** The sizes the drawing needs, measured in the page's own fonts. */
export interface ChartMetrics {
  measure(text: string, className: string): number
}

/** Heights and paddings of the drawing, in SVG units. */
export const chartSizes = {
  stateHeight: 40,
  stateWithRunsHeight: 52,
  statePadding: 28,
  titleHeight: 30,
  compoundPadding: 14,
  labelLineHeight: 15,
  initialMark: 12,
} as const

/**
 * An arrow's line for one transition, as statecharts write it: `event [guard]`; an eventless
 * transition shows only its guard (or `always` when it has none).
 */
export function arrowLine(transition: ChartTransition): string {
  if (transition.guard === undefined) return transition.event
  return transition.event === 'always'
    ? `[${transition.guard}]`
    : `${transition.event} [${transition.guard}]`
}

/** The arrows of the chart: the machine's transitions, one arrow per pair of states. */
export function chartArrows(machine: MachineMessage): ChartArrow[] {
  const known = new Set(machine.states.map((state) => state.path))
  const arrows = new Map<string, { source: string; target: string; lines: string[] }>()
  for (const state of machine.states) {
    for (const transition of state.transitions) {
      // A transition may name several targets (parallel states): one arrow to each.
      for (const target of transition.target.split(', ').filter((path) => known.has(path))) {
        const key = `${state.path} → ${target}`
        const arrow = arrows.get(key) ?? { source: state.path, target, lines: [] }
        const line = arrowLine(transition)
        if (!arrow.lines.includes(line)) arrow.lines.push(line)
        arrows.set(key, arrow)
      }
    }
  }
  return [...arrows.values()].map((arrow, index) => ({ id: `arrow-${index}`, ...arrow }))
}

/** What a state box says under its name: the actors it runs. */
export function stateDetail(state: ChartState): string | undefined {
  return state.runs.length > 0 ? `runs ${state.runs.join(', ')}` : undefined
}

function stateNode(state: ChartState, children: ElkNode[], metrics: ChartMetrics): ElkNode {
  if (children.length > 0) {
    const { titleHeight, compoundPadding: pad } = chartSizes
    return {
      id: state.path,
      children,
      layoutOptions: {
        'elk.padding': `[top=${titleHeight + pad},left=${pad},bottom=${pad},right=${pad}]`,
      },
    }
  }
  const detail = stateDetail(state)
  const width = Math.max(
    metrics.measure(state.key, 'state-name'),
    detail === undefined ? 0 : metrics.measure(detail, 'state-detail'),
  )
  return {
    id: state.path,
    width: Math.ceil(width) + chartSizes.statePadding,
    height: detail === undefined ? chartSizes.stateHeight : chartSizes.stateWithRunsHeight,
  }
}

function arrowEdge(arrow: ChartArrow, metrics: ChartMetrics): ElkExtendedEdge {
  const width = Math.max(...arrow.lines.map((line) => metrics.measure(line, 'arrow-label')))
  return {
    id: arrow.id,
    sources: [arrow.source],
    targets: [arrow.target],
    labels: [
      {
        id: `${arrow.id}-label`,
        text: arrow.lines.join('\n'),
        width: Math.ceil(width) + 6,
        height: arrow.lines.length * chartSizes.labelLineHeight + 2,
      },
    ],
  }
}

/**
 * The machine as an ELK graph: each state a node (nested states inside their parent's),
 * each arrow an edge with its label's size, laid out top to bottom in the order the states
 * are declared, so the chart reads like the machine's source.
 */
export function chartGraph(
  machine: MachineMessage,
  arrows: readonly ChartArrow[],
  metrics: ChartMetrics,
): ElkNode {
  const initialEdges: ElkExtendedEdge[] = []
  const childrenOf = (parent: string | undefined): ElkNode[] => {
    const children = machine.states.filter((state) => state.parent === parent)
    const initial = children.find((state) => state.initial)
    const nodes = children.map((state) => stateNode(state, childrenOf(state.path), metrics))
    if (initial === undefined) return nodes
    // The statechart's initial mark: a dot with an arrow to the initial state.
    const mark = `${parent ?? ''}(initial)`
    initialEdges.push({ id: `${mark}-arrow`, sources: [mark], targets: [initial.path] })
    const size = chartSizes.initialMark
    return [{ id: mark, width: size, height: size }, ...nodes]
  }
  const children = childrenOf(undefined)
  return {
    id: '(machine)',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
      // Straight lines with right angles: the drawing joins the points it is given.
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.spacing.edgeLabel': '3',
      'elk.spacing.edgeEdge': '10',
      'elk.layered.spacing.edgeNodeBetweenLayers': '10',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      // Every coordinate relative to the chart, nested states' and arrows' alike.
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
    },
    children,
    edges: [...initialEdges, ...arrows.map((arrow) => arrowEdge(arrow, metrics))],
  }
}
