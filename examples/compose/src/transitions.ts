import type { AnyActorRef, InspectionEvent, StateValue } from 'xstate'

/** A state value as a dotted path: `{ syncing: 'fetching' }` → `syncing.fetching`. */
export function statePath(value: StateValue): string {
  if (typeof value === 'string') return value
  const [name, inner] = Object.entries(value)[0] ?? ['?', undefined]
  return inner === undefined ? name : `${name}.${statePath(inner)}`
}

/** A machine's snapshot as a microstep carries it. */
interface StepSnapshot {
  readonly value: StateValue
  readonly context: unknown
}

/**
 * An inspector (for `createActor(…, { inspect })`) that calls `onStep` with the first
 * snapshot of each machine in `ids`, then for each microstep as the machine takes it, with
 * the snapshot before it.
 *
 * Microsteps come in the order the machines decide them: a parent's step comes before the
 * child's reaction to what the parent sent it. (Snapshot observers would see the child's
 * reaction first, since a parent's sends are delivered before its observers are told.)
 */
export function onMicrosteps(
  ids: readonly string[],
  onStep: (id: string, snapshot: StepSnapshot, previous: StepSnapshot | undefined) => void,
): (event: InspectionEvent) => void {
  const last = new Map<string, StepSnapshot>()
  return (event) => {
    if (event.type !== '@xstate.microstep' && event.type !== '@xstate.snapshot') return
    // Typed as the least an inspector may rely on; xstate hands over the actor itself.
    const { id } = event.actorRef as AnyActorRef
    if (!ids.includes(id) || (event.type === '@xstate.snapshot' && last.has(id))) return
    const snapshot = event.snapshot as unknown as StepSnapshot
    onStep(id, snapshot, last.get(id))
    last.set(id, snapshot)
  }
}

/** `label from → to` when the state changed between `previous` and `snapshot`. */
export function transitionLine(
  label: string,
  snapshot: StepSnapshot,
  previous: StepSnapshot | undefined,
): string | undefined {
  const to = statePath(snapshot.value)
  if (previous === undefined) return `${label} ${to}`
  const from = statePath(previous.value)
  return from === to ? undefined : `${label} ${from} → ${to}`
}
