/**
 * Keyway's machine, live, offline: `serveInspector()` is an xstate inspection observer that
 * serves a statechart of the machine on 127.0.0.1 and lights up each state as it is entered.
 *
 * @packageDocumentation
 */
export type { ChartNode, ChartTransitionNode } from './machine-chart.js'
export { machineChart } from './machine-chart.js'
export {
  type ServedInspector,
  type ServeInspectorOptions,
  serveInspector,
  type TextOutput,
} from './serve-inspector.js'
export { eventLabel } from './shared/event-label.js'
export type {
  ChartState,
  ChartTransition,
  InspectorMessage,
  MachineMessage,
  StepMessage,
} from './shared/messages.js'
