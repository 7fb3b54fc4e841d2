/**
 * The workspace's own generators. `machineDocument()` draws docs/machine.md from Keyway's
 * machine and the TSDoc of its types; `pnpm run docs` writes it, and a test checks that the
 * checked-in copy is current.
 *
 * @packageDocumentation
 */
export { MACHINE_DOC_PATH, machineDocument } from './machine-doc/document.js'
export { INSPECTOR_VIEW } from './machine-doc/inspector-view.js'
export {
  type MachineGraph,
  type MachineState,
  type MachineTransition,
  machineGraph,
  type StatePath,
  type Trigger,
} from './machine-doc/machine-graph.js'
export {
  type ActorDoc,
  type EventDoc,
  MACHINE_SOURCE_FILES,
  type MachineSources,
  readMachineSources,
} from './machine-doc/machine-sources.js'
export { assertMachineDocCurrent } from './machine-doc/staleness.js'
export { REPO_ROOT } from './repo-root.js'
