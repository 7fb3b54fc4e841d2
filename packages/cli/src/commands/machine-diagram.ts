import { type ChartNode, type ChartState, machineChart } from '@keyway/inspect'

/** One transition of a state, for people: its event, target and guard. */
export type DiagramTransition = ChartState['transitions'][number]

/** One state of the machine, for people. */
export type DiagramState = Pick<
  ChartState,
  'path' | 'depth' | 'initial' | 'runs' | 'entry' | 'transitions'
>

/**
 * The machine's states in order, each with what it runs and where each event leads (eventless
 * `always` transitions included): the data `keyway inspect` prints, read from the machine's
 * definition by the same code that draws `keyway inspect --serve`'s chart.
 */
export function machineDiagram(root: ChartNode): DiagramState[] {
  return machineChart(root).states.map(({ path, depth, initial, runs, entry, transitions }) => ({
    path,
    depth,
    initial,
    runs,
    entry,
    transitions,
  }))
}

/**
 * The diagram as text, one state a line and its transitions below it; `current` (a top-level
 * state's name) is marked.
 */
export function diagramText(
  states: readonly DiagramState[],
  current: string | undefined,
  mark: (text: string) => string = (text) => text,
): string {
  const all = states.flatMap((state) => state.transitions)
  const width = Math.max(...all.map((t) => t.event.length))
  const targetWidth = Math.max(...all.filter((t) => t.guard).map((t) => t.target.length))
  return states
    .map((state) => {
      const indent = '  '.repeat(state.depth)
      const facts = [
        state.initial ? 'initial' : undefined,
        state.runs.length > 0 ? `runs ${state.runs.join(', ')}` : undefined,
        state.entry.length > 0 ? `on entry ${state.entry.join(', ')}` : undefined,
      ].filter((fact) => fact !== undefined)
      const name = state.path.split('.').at(-1)!
      const head = `${indent}${name}${facts.length > 0 ? `  (${facts.join('; ')})` : ''}`
      const lines = state.transitions.map((t) => {
        const target =
          t.guard === undefined ? t.target : `${t.target.padEnd(targetWidth)}  if ${t.guard}`
        return `${indent}    ${t.event.padEnd(width)}  → ${target}`
      })
      return [state.path === current ? mark(`${head}   ◀ now`) : head, ...lines].join('\n')
    })
    .join('\n')
}
