import type { ElkEdgeSection, ElkExtendedEdge, ElkNode, ElkPoint } from 'elkjs/lib/elk-api.js'
import type { MachineMessage } from '../shared/messages.js'
import { type ChartArrow, chartSizes, stateDetail } from './chart-graph.js'
import { svg } from './svg.js'

/** A drawn chart: lights up the active states and the arrow just taken. */
export interface DrawnChart {
  /** Marks `active` (paths, parents first) as the current states. */
  showActive(active: readonly string[]): void
  /** Marks the arrow a step took, from one of `before`'s states to one of `after`'s. */
  showTaken(event: string, before: readonly string[], after: readonly string[]): void
}

const round = (value: number) => Math.round(value * 10) / 10
const point = ({ x, y }: ElkPoint) => `${round(x)},${round(y)}`

/** An SVG path through a section's points: straight lines, as ELK routes them orthogonally. */
function sectionPath(section: ElkEdgeSection): string {
  const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]
  return `M${points.map(point).join(' L')}`
}

function flatten(node: ElkNode): ElkNode[] {
  return (node.children ?? []).flatMap((child) => [child, ...flatten(child)])
}

function drawState(
  node: ElkNode,
  machine: MachineMessage,
  layer: SVGGElement,
): SVGGElement | undefined {
  const state = machine.states.find((candidate) => candidate.path === node.id)
  const x = node.x ?? 0
  const y = node.y ?? 0
  const width = node.width ?? 0
  const height = node.height ?? 0
  if (state === undefined) {
    // The initial mark of a machine or a compound state: a filled dot.
    svg(
      'circle',
      { class: 'initial-mark', cx: x + width / 2, cy: y + height / 2, r: width / 2 },
      layer,
    )
    return undefined
  }
  const compound = state.kind === 'compound' || state.kind === 'parallel'
  const group = svg(
    'g',
    { class: compound ? 'state compound' : 'state', 'data-path': state.path },
    layer,
  )
  svg('rect', { x, y, width, height, rx: compound ? 14 : 10 }, group)
  if (compound) {
    svg(
      'text',
      { class: 'state-title', x: x + 14, y: y + chartSizes.titleHeight - 8 },
      group,
    ).textContent = state.key
    return group
  }
  const detail = stateDetail(state)
  const nameY = detail === undefined ? y + height / 2 + 5 : y + 21
  svg(
    'text',
    { class: 'state-name', x: x + width / 2, y: nameY, 'text-anchor': 'middle' },
    group,
  ).textContent = state.key
  if (detail !== undefined) {
    svg(
      'text',
      { class: 'state-detail', x: x + width / 2, y: y + 39, 'text-anchor': 'middle' },
      group,
    ).textContent = detail
  }
  return group
}

function drawArrow(
  edge: ElkExtendedEdge,
  arrow: ChartArrow | undefined,
  lines: SVGGElement,
  labels: SVGGElement,
) {
  const group = svg('g', { class: arrow === undefined ? 'arrow initial-arrow' : 'arrow' }, lines)
  for (const section of edge.sections ?? []) {
    svg('path', { d: sectionPath(section), 'marker-end': 'url(#arrowhead)' }, group)
  }
  if (arrow === undefined) return group
  const labelGroup = svg('g', { class: 'arrow-label-group' }, labels)
  for (const label of edge.labels ?? []) {
    arrow.lines.forEach((line, index) => {
      const y = (label.y ?? 0) + (index + 1) * chartSizes.labelLineHeight - 3
      svg('text', { class: 'arrow-label', x: (label.x ?? 0) + 3, y }, labelGroup).textContent = line
    })
  }
  return group
}

/**
 * Draws a laid-out chart into `host`: compound states as frames with their name at the top,
 * other states as boxes (with the actors they run), arrows with their labels, and the
 * initial state of the machine and of each compound state marked by a dot. Coordinates are
 * ELK's, absolute (the graph asks for `ROOT` coordinates).
 */
export function drawChart(
  host: SVGSVGElement,
  laidOut: ElkNode,
  machine: MachineMessage,
  arrows: readonly ChartArrow[],
): DrawnChart {
  host.replaceChildren()
  const width = Math.ceil(laidOut.width ?? 0)
  const height = Math.ceil(laidOut.height ?? 0)
  host.setAttribute('viewBox', `0 0 ${width} ${height}`)
  host.setAttribute('width', String(width))
  host.setAttribute('height', String(height))
  const defs = svg('defs', {}, host)
  // Sized in the chart's units, so a highlighted (thicker) arrow keeps the same head.
  const marker = svg(
    'marker',
    {
      id: 'arrowhead',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 8,
      markerHeight: 8,
      markerUnits: 'userSpaceOnUse',
      orient: 'auto-start-reverse',
    },
    defs,
  )
  svg('path', { d: 'M0,0 L10,5 L0,10 z' }, marker)
  const frames = svg('g', { class: 'frames' }, host)
  const lines = svg('g', { class: 'arrows' }, host)
  const boxes = svg('g', { class: 'states' }, host)
  const labels = svg('g', { class: 'labels' }, host)
  const groups = new Map<string, SVGGElement>()
  for (const node of flatten(laidOut)) {
    const compound = (node.children ?? []).length > 0
    const group = drawState(node, machine, compound ? frames : boxes)
    if (group !== undefined) groups.set(node.id, group)
  }
  const byId = new Map(arrows.map((arrow) => [arrow.id, arrow]))
  const arrowGroups = new Map<string, SVGGElement>()
  for (const edge of laidOut.edges ?? []) {
    const arrow = byId.get(edge.id)
    const group = drawArrow(edge, arrow, lines, labels)
    if (arrow !== undefined) arrowGroups.set(arrow.id, group)
  }
  return {
    showActive(active) {
      for (const [path, group] of groups) group.classList.toggle('active', active.includes(path))
      host.dataset.active = active.join(' ')
    },
    showTaken(event, before, after) {
      for (const group of arrowGroups.values()) group.classList.remove('taken')
      const taken = arrows.find(
        (arrow) =>
          before.includes(arrow.source) &&
          after.includes(arrow.target) &&
          arrow.lines.some((line) => line === event || line.startsWith(`${event} [`)),
      )
      if (taken !== undefined) arrowGroups.get(taken.id)?.classList.add('taken')
    },
  }
}
