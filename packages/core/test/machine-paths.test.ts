/**
 * Model-based tests: @xstate/graph walks Keyway's machine definition itself, and every
 * path it finds is replayed against a real actor of `keywayMachine().provide({ actors })`.
 *
 * `createTestModel` refuses machines with `invoke` and `after`, so the graph is built with
 * `getShortestPaths` over the machine directly. What the environment decides (how each
 * actor ends, when a timer fires) enters the graph as the events the machine would receive:
 * `xstate.done.actor.*` with an output, `xstate.error.actor.*` with an error, and the
 * `after` event, listed per state by the `events` option. Graph vertices are keyed by the
 * transition that entered them, so the shortest paths end in every transition of the graph.
 * The replay makes the provided actors end as each step says and fires the fake timers; the
 * machine's clock is frozen, so its guards decide in the replay as they did in the graph.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createActor, type InspectionEvent } from 'xstate'
import {
  type KeywayEmitted,
  KeywayErrorCodes,
  keywayMachine,
  type RefreshInput,
  type RefreshOutput,
} from '../src/index.js'
import { delayUntil } from '../src/machine/schedule.js'
import {
  type ActorName,
  definedTransitions,
  kindOf,
  type MachineSnapshot,
  type ModelEvent,
  type ModelPath,
  modelPaths,
  observe,
  ScriptedActors,
  T0,
  transitionName,
} from './support/machine-model.js'

/**
 * Transitions no path can take, and why. The coverage test fails when one of these becomes
 * reachable, so the list cannot go stale.
 */
const UNREACHABLE: Record<string, string> = {}

const machine = keywayMachine()
const paths = modelPaths(machine)

/** Lets promise callbacks run (actor outcomes, their done events) without moving time. */
async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

const isFailure = (event: ModelEvent) => event.type.startsWith('xstate.error.')

/** What the machine should emit for the app when `event` takes it from `before` to `after`. */
function expectedEmitted(before: MachineSnapshot, event: ModelEvent, after: MachineSnapshot) {
  const emitted: string[] = []
  const done = !isFailure(event)
  const refresh = event.actor === 'refresh' && done ? (event.output as RefreshOutput) : undefined
  const saving = event.actor === 'exchange' || event.actor === 'resave'
  if (saving && done) emitted.push(`tokens:${kindOf(event.output)}`)
  if (refresh?.saveError) emitted.push(`error:${refresh.saveError.code}`)
  else if (refresh) emitted.push(`tokens:${kindOf(refresh.tokens)}`)
  // A grant that is gone is reported as `loginRequired`, not as an error.
  if (!done && event.error?.code !== KeywayErrorCodes.loginRequired) {
    emitted.push(`error:${event.error?.code}`)
  }
  if (after.matches('loginRequired') && !before.matches('loginRequired')) {
    // Whatever was recorded before, a grant that cannot be renewed reports `login_required`.
    emitted.push(`loginRequired:${event.error?.code ?? KeywayErrorCodes.loginRequired}`)
  }
  return emitted
}

/** What the store should hold after `event`, given what it held before. */
function expectedStored(before: string, event: ModelEvent): string {
  if (isFailure(event)) return before
  if (event.actor === 'restore' || event.actor === 'exchange' || event.actor === 'resave') {
    return kindOf(event.output)
  }
  if (event.actor === 'refresh') {
    const { tokens, saveError } = event.output as RefreshOutput
    return saveError ? before : kindOf(tokens)
  }
  return event.actor === 'logout' ? 'none' : before
}

/** What each actor should have been started with, in `before`. */
function expectedInput(name: ActorName, before: MachineSnapshot): unknown {
  const { tokens, unsaved } = before.context
  if (name === 'exchange') return 'the pending login'
  if (name === 'refresh' || name === 'resave') return { tokens: kindOf(tokens), unsaved }
  return name === 'logout' ? kindOf(tokens) : undefined
}

/** The input an actor was started with, with token sets shown by kind. */
function describeInput(name: ActorName, input: unknown, before: MachineSnapshot): unknown {
  if (name === 'exchange' && input === before.context.pending) return 'the pending login'
  if (name === 'logout') return kindOf(input)
  if (name !== 'refresh' && name !== 'resave') return input
  const { tokens, unsaved } = input as RefreshInput
  return { tokens: kindOf(tokens), unsaved }
}

const invokedIn = (state: MachineSnapshot) =>
  state._nodes.flatMap((node) => node.invoke.map((def) => def.src)).sort()

const describeEmitted = (event: KeywayEmitted) =>
  event.type === 'tokens' ? `tokens:${kindOf(event.tokens)}` : `${event.type}:${event.error.code}`

/** Replays `path` on a real actor; resolves with the transitions the actor took. */
async function replay({ scenario, steps }: ModelPath): Promise<Set<string>> {
  const taken = new Set<string>()
  const inspect = (event: InspectionEvent) => {
    if (event.type !== '@xstate.microstep') return
    for (const transition of event._transitions) taken.add(transitionName(transition))
  }
  const actors = new ScriptedActors(scenario.stored)
  const actor = createActor(machine.provide({ actors: actors.actors() }), {
    input: scenario.input,
    inspect,
  })
  const emitted: string[] = []
  actor.on('*', (event) => emitted.push(describeEmitted(event)))
  actor.start()
  await settle()

  const check = (state: MachineSnapshot, expected: { emitted: string[]; stored: string }) => {
    const snapshot = actor.getSnapshot()
    expect(observe(snapshot)).toEqual(observe(state))
    expect([...actors.running().keys()].sort()).toEqual(invokedIn(state))
    expect(emitted).toEqual(expected.emitted)
    expect(kindOf(actors.stored)).toBe(expected.stored)
    // What the machine holds as saved is what the store has; `tokens` announces saved tokens.
    const { tokens, unsaved } = snapshot.context
    if (tokens !== undefined && !unsaved) expect(kindOf(tokens)).toBe(kindOf(actors.stored))
    for (const announced of emitted.filter((line) => line.startsWith('tokens:'))) {
      expect(announced).toBe(`tokens:${kindOf(actors.stored)}`)
    }
    emitted.length = 0
  }

  let stored: string = scenario.stored
  check(steps[0]!.state, { emitted: [], stored })
  for (const [index, { event, state }] of steps.entries()) {
    if (index === 0) continue
    const before = steps[index - 1]!.state
    if (event.actor !== undefined) {
      const input = actors.running().get(event.actor)
      expect(describeInput(event.actor, input, before)).toEqual(expectedInput(event.actor, before))
      actors.end(event)
    } else if (event.label === 'timer') {
      // The timer fires when the plan says, not a millisecond before.
      const delay = delayUntil(actor.getSnapshot().context.refreshAt, T0)
      if (delay > 0) {
        await vi.advanceTimersByTimeAsync(delay - 1)
        expect(actor.getSnapshot().value).toEqual(before.value)
      }
      await vi.advanceTimersByTimeAsync(delay > 0 ? 1 : 0)
    } else {
      const { label: _label, ...sent } = event
      actor.send(sent as never)
    }
    await settle()
    stored = expectedStored(stored, event)
    check(state, { emitted: expectedEmitted(before, event, state), stored })
  }
  actor.stop()
  return taken
}

const replays = new Map<ModelPath, Promise<Set<string>>>()
const replayOnce = (path: ModelPath) => {
  let result = replays.get(path)
  if (result === undefined) {
    result = replay(path)
    replays.set(path, result)
  }
  return result
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('every path of the machine', () => {
  it.each(paths.map((path) => [path.title, path] as const))('%s', async (_title, path) => {
    await replayOnce(path)
  })
})

describe('the paths', () => {
  it('take every transition the machine defines', async () => {
    const defined = new Set(definedTransitions(machine.root))
    const taken = new Set<string>()
    for (const path of paths) for (const name of await replayOnce(path)) taken.add(name)
    const untaken = [...defined].filter((name) => !taken.has(name) && !(name in UNREACHABLE))
    expect(untaken, `transitions no path takes:\n${untaken.join('\n')}`).toEqual([])
    const reachable = Object.keys(UNREACHABLE).filter(
      (name) => taken.has(name) || !defined.has(name),
    )
    expect(reachable, 'listed as unreachable, but taken or gone').toEqual([])
  })
})
