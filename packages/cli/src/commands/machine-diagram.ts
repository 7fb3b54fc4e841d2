/** The parts of an xstate state node the diagram reads (`keywayMachine().root`). */
export interface DiagramNode {
  readonly key: string
  readonly id: string
  readonly states: Readonly<Record<string, DiagramNode>>
  readonly initial?: { readonly target: readonly { readonly key: string }[] }
  readonly invoke: readonly { readonly src: unknown }[]
  readonly entry: readonly unknown[]
  readonly transitions: ReadonlyMap<
    string,
    readonly { readonly target?: readonly { readonly id: string }[]; readonly guard?: unknown }[]
  >
}

/** One transition of a state, for people. */
export interface DiagramTransition {
  /** `login`, `done`, `error`, `after untilRefresh`, … */
  readonly event: string
  /** The target state's path below the machine, e.g. `authorized.retrying`. */
  readonly target: string
  /** The guard's name, `(inline)` for an unnamed condition; absent when there is none. */
  readonly guard?: string
}

/** One state of the machine, for people. */
export interface DiagramState {
  /** The state's path below the machine: `authorized.waiting`. */
  readonly path: string
  readonly depth: number
  readonly initial: boolean
  /** The actors it runs while in it: `restore`, `refresh`, … */
  readonly runs: readonly string[]
  /** The named actions it runs on entry. */
  readonly entry: readonly string[]
  readonly transitions: readonly DiagramTransition[]
}

function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  const type = (value as { type?: unknown } | undefined)?.type
  return typeof type === 'string' ? type : undefined
}

/** `xstate.done.actor.…` → `done`, `xstate.after.untilRefresh.…` → `after untilRefresh`. */
function eventName(type: string): string {
  if (type.startsWith('xstate.done.actor.')) return 'done'
  if (type.startsWith('xstate.error.actor.')) return 'error'
  const delayed = /^xstate\.after\.([^.]+)\./.exec(type)
  return delayed ? `after ${delayed[1]}` : type
}

function pathOf(id: string, rootId: string): string {
  return id.startsWith(`${rootId}.`) ? id.slice(rootId.length + 1) : id
}

/**
 * The machine's states in order, each with what it runs and where each event leads: the
 * data `keyway inspect` prints. Built-in actions (`xstate.assign`, …) are left out.
 */
export function machineDiagram(root: DiagramNode): DiagramState[] {
  const states: DiagramState[] = []
  const visit = (node: DiagramNode, depth: number, initial: boolean) => {
    const transitions = [...node.transitions].flatMap(([type, options]) =>
      options.map((option) => {
        const guard = option.guard === undefined ? undefined : (nameOf(option.guard) ?? '(inline)')
        const target = option.target?.map((t) => pathOf(t.id, root.id)).join(', ') ?? '(stays)'
        return { event: eventName(type), target, ...(guard === undefined ? {} : { guard }) }
      }),
    )
    states.push({
      path: pathOf(node.id, root.id),
      depth,
      initial,
      runs: node.invoke.map((invoked) => nameOf(invoked.src) ?? '(inline)'),
      entry: node.entry
        .map(nameOf)
        .filter((name) => name !== undefined && !name.startsWith('xstate.')) as string[],
      transitions,
    })
    const first = node.initial?.target[0]?.key
    for (const child of Object.values(node.states)) visit(child, depth + 1, child.key === first)
  }
  const first = root.initial?.target[0]?.key
  for (const child of Object.values(root.states)) visit(child, 0, child.key === first)
  return states
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
