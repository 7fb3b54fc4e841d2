import { eventLabel } from './shared/event-label.js'
import type { ChartState, ChartTransition, MachineMessage } from './shared/messages.js'

/** A transition as xstate defines it: where it leads and on what condition. */
export interface ChartTransitionNode {
  readonly target?: readonly { readonly id: string }[]
  readonly guard?: unknown
}

/** The parts of an xstate state node the chart reads (`machine.root` and its descendants). */
export interface ChartNode {
  readonly key: string
  readonly id: string
  readonly type: ChartState['kind']
  readonly states: Readonly<Record<string, ChartNode>>
  readonly initial?: { readonly target: readonly { readonly key: string }[] }
  readonly invoke: readonly { readonly src: unknown }[]
  readonly entry: readonly unknown[]
  readonly transitions: ReadonlyMap<string, readonly ChartTransitionNode[]>
  /** Eventless transitions, taken as soon as their guard allows. */
  readonly always?: readonly ChartTransitionNode[]
}

/** A string, or the `type` of a named action, actor or guard; undefined for inline code. */
function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  const type = (value as { type?: unknown } | undefined)?.type
  return typeof type === 'string' ? type : undefined
}

/** `restoresTo(idle)` for a guard with plain parameters, else the guard's name. */
function guardName(guard: unknown): string {
  const name = nameOf(guard)
  if (name === undefined) return '(inline)'
  const params = (guard as { params?: unknown }).params
  if (params === null || typeof params !== 'object') return name
  const values = Object.values(params)
  const plain = values.every((value) => ['string', 'number', 'boolean'].includes(typeof value))
  return plain && values.length > 0 ? `${name}(${values.join(', ')})` : name
}

function pathOf(id: string, rootId: string): string {
  return id.startsWith(`${rootId}.`) ? id.slice(rootId.length + 1) : id
}

function describeTransition(event: string, option: ChartTransitionNode, rootId: string) {
  const target = option.target?.map((t) => pathOf(t.id, rootId)).join(', ') ?? '(stays)'
  return {
    event: eventLabel(event),
    target,
    ...(option.guard === undefined ? {} : { guard: guardName(option.guard) }),
  } satisfies ChartTransition
}

/**
 * The machine's states in the order they are declared, parents before children, each with
 * what it runs on entry and while active and where each event leads (eventless `always`
 * transitions included). Built from the machine's own definition, so it cannot drift from
 * what runs. Built-in actions (`xstate.assign`, …) are left out.
 *
 * @param root - the machine's root state node: `keywayMachine().root`.
 * @example
 * ```ts
 * import { keywayMachine } from '@keyway/core'
 * import { machineChart } from '@keyway/inspect'
 * const { states } = machineChart(keywayMachine().root)
 * states.find((state) => state.path === 'idle')?.transitions // [{ event: 'login', target: 'authorizing' }]
 * ```
 */
export function machineChart(root: ChartNode): MachineMessage {
  const states: ChartState[] = []
  const visit = (node: ChartNode, parent: ChartNode, depth: number) => {
    const path = pathOf(node.id, root.id)
    const transitions = [
      ...(node.always ?? []).map((option) => describeTransition('', option, root.id)),
      ...[...node.transitions].flatMap(([type, options]) =>
        options.map((option) => describeTransition(type, option, root.id)),
      ),
    ]
    states.push({
      path,
      key: node.key,
      ...(parent === root ? {} : { parent: pathOf(parent.id, root.id) }),
      depth,
      initial: parent.initial?.target[0]?.key === node.key,
      kind: node.type,
      runs: node.invoke.map((invoked) => nameOf(invoked.src) ?? '(inline)'),
      entry: node.entry
        .map(nameOf)
        .filter((name): name is string => name !== undefined && !name.startsWith('xstate.')),
      transitions,
    })
    for (const child of Object.values(node.states)) visit(child, node, depth + 1)
  }
  for (const child of Object.values(root.states)) visit(child, root, 0)
  return { kind: 'machine', id: root.id, states }
}
