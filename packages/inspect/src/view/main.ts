import type { ElkNode } from 'elkjs/lib/elk-api.js'
import { eventLabel } from '../shared/event-label.js'
import type { InspectorMessage, MachineMessage, StepMessage } from '../shared/messages.js'
import { type DrawnChart, drawChart } from './chart-drawing.js'
import { chartArrows, chartGraph } from './chart-graph.js'
import { StepLog } from './step-log.js'
import { textMeasurer } from './svg.js'

/** ELK, loaded by the page's `elk.js` script before this module runs. */
type ElkLayouter = { layout(graph: ElkNode): Promise<ElkNode> }

function element<T extends HTMLElement | SVGElement>(id: string): T {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`The page has no #${id}.`)
  return found as T
}

const chartHost = element<SVGSVGElement>('chart')
const now = element<HTMLParagraphElement>('now')
const connection = element<HTMLParagraphElement>('connection')
const title = element<HTMLElement>('machine-id')
const context = element<HTMLPreElement>('context')
const log = new StepLog(element<HTMLOListElement>('log'))

let chart: DrawnChart | undefined
let active: readonly string[] = []

/** `Now: authorized (waiting)`: the top state, and the innermost one when it is nested. */
function nowText(step: StepMessage): string {
  const [top] = step.active
  const inner = step.active.length > 1 ? step.active.at(-1)?.split('.').at(-1) : undefined
  const where = top === undefined ? step.status : inner === undefined ? top : `${top} (${inner})`
  return step.status === 'active' || top === undefined
    ? `Now: ${where}`
    : `Now: ${where}, ${step.status}`
}

async function showMachine(machine: MachineMessage): Promise<void> {
  title.textContent = machine.id
  const Elk = (globalThis as { ELK?: new () => ElkLayouter }).ELK
  if (Elk === undefined) throw new Error('The layout library did not load.')
  const arrows = chartArrows(machine)
  const graph = chartGraph(machine, arrows, { measure: textMeasurer(chartHost) })
  const laidOut = await new Elk().layout(graph)
  chart = drawChart(chartHost, laidOut, machine, arrows)
  chart.showActive(active)
}

function showStep(step: StepMessage): void {
  log.add(step)
  const text = nowText(step)
  if (now.textContent !== text) now.textContent = text
  chart?.showTaken(eventLabel(step.event), active, step.active)
  chart?.showActive(step.active)
  active = step.active
  context.textContent = step.context
}

function showFailure(error: unknown): void {
  connection.textContent = `The chart cannot be drawn: ${error instanceof Error ? error.message : String(error)}`
}

const events = new EventSource('events')
events.addEventListener('open', () => {
  // A reconnected page is sent the whole backlog again.
  log.reset()
  connection.textContent = 'Live'
  connection.className = 'live'
})
events.addEventListener('error', () => {
  connection.textContent = 'Not connected: the program has ended, or stopped its inspector.'
  connection.className = 'gone'
})
events.addEventListener('message', (event: MessageEvent<string>) => {
  const message = JSON.parse(event.data) as InspectorMessage
  if (message.kind === 'machine') showMachine(message).catch(showFailure)
  else showStep(message)
})
