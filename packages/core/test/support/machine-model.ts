import { getShortestPaths, type StatePath } from '@xstate/graph'
import type { AnyStateNode, AnyTransitionDefinition, EventObject, SnapshotFrom } from 'xstate'
import { fromPromise } from 'xstate'
import {
  KeywayError,
  type KeywayErrorCode,
  KeywayErrorCodes,
  type KeywayMachine,
  type KeywayMachineInput,
  type PendingLogin,
  type RefreshInput,
  type RefreshOutput,
  Sealed,
  type TokenSet,
} from '../../src/index.js'
import { sealTokens } from '../../src/machine/sealed-tokens.js'

/** The instant the model and the replays run at: the machine's clock stands still there. */
export const T0 = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000

/** The machine's input clock: frozen, so the graph's guard decisions are the replay's. */
const frozenClock = { now: () => T0, random: () => 0 }

const tokenSets = {
  /** Valid for 30 days: its refresh lies beyond one timer, so `waiting` waits again. */
  fresh: { refreshToken: 'rt-1', expiresAt: T0 + 720 * HOUR, obtainedAt: T0 },
  /** Valid for 30 more seconds of an hour: inside its margin, so the refresh is due now. */
  due: { refreshToken: 'rt-1', expiresAt: T0 + 30_000, obtainedAt: T0 - HOUR + 30_000 },
  noRefresh: { expiresAt: T0 + HOUR, obtainedAt: T0 },
  expired: { refreshToken: 'rt-1', expiresAt: T0 - 1, obtainedAt: T0 - HOUR },
  expiredNoRefresh: { expiresAt: T0 - 1, obtainedAt: T0 - HOUR },
  refreshed: { refreshToken: 'rt-2', expiresAt: T0 + 720 * HOUR, obtainedAt: T0 },
} satisfies Record<string, Omit<TokenSet, 'accessToken' | 'tokenType'>>

/** A name for each grant the model uses; test output shows these, never a token value. */
export type TokenKind = keyof typeof tokenSets

/** One sealed token set per kind, shared by the model and the replays. */
const sealed = Object.fromEntries(
  Object.entries(tokenSets).map(([kind, rest]) => [
    kind,
    sealTokens({ accessToken: `at-${kind}`, tokenType: 'Bearer', ...rest }),
  ]),
) as Record<TokenKind, Sealed<TokenSet>>

/** The kind of a token set from the model (sealed or not), or `none`. */
export function kindOf(tokens: unknown): TokenKind | 'none' {
  if (tokens === undefined) return 'none'
  const { accessToken } = (tokens instanceof Sealed ? tokens.unseal() : tokens) as TokenSet
  return accessToken.slice('at-'.length) as TokenKind
}

const pendingLogin = new Sealed<PendingLogin>({
  kind: 'tokens',
  transport: 'test',
  tokens: sealed.fresh.unseal(),
})

const fail = (code: KeywayErrorCode, details = {}) => new KeywayError(code, code, details)

/** The machine's actors, by the `src` its states invoke. */
export type ActorName =
  | 'restore'
  | 'authorize'
  | 'exchange'
  | 'refresh'
  | 'storeBack'
  | 'resave'
  | 'logout'

type Outcome = { readonly output: unknown } | { readonly error: KeywayError }

/**
 * What each actor may end with: the environment's choices, turned into the done and error
 * events the graph explores.
 */
const outcomes: Record<ActorName, Record<string, Outcome>> = {
  restore: {
    none: { output: undefined },
    fresh: { output: sealed.fresh },
    due: { output: sealed.due },
    expired: { output: sealed.expired },
    expiredNoRefresh: { output: sealed.expiredNoRefresh },
    storeDown: { error: fail(KeywayErrorCodes.storeUnavailable) },
  },
  authorize: {
    callback: { output: pendingLogin },
    denied: { error: fail(KeywayErrorCodes.accessDenied) },
  },
  exchange: {
    fresh: { output: sealed.fresh },
    noRefresh: { output: sealed.noRefresh },
    providerError: { error: fail(KeywayErrorCodes.providerError) },
  },
  refresh: {
    saved: { output: { tokens: sealed.refreshed } satisfies RefreshOutput },
    unsaved: {
      output: {
        tokens: sealed.refreshed,
        saveError: fail(KeywayErrorCodes.storeError),
      } satisfies RefreshOutput,
    },
    network: { error: fail(KeywayErrorCodes.network) },
    grantGone: { error: fail(KeywayErrorCodes.loginRequired, { error: 'invalid_grant' }) },
  },
  storeBack: {
    back: { output: undefined },
  },
  resave: {
    // Only tokens a refresh brought are ever held unsaved.
    saved: { output: sealed.refreshed },
    storeDown: { error: fail(KeywayErrorCodes.storeUnavailable) },
    grantGone: { error: fail(KeywayErrorCodes.loginRequired) },
  },
  logout: {
    done: { output: undefined },
    storeError: { error: fail(KeywayErrorCodes.storeError) },
  },
}

/**
 * An event of the model: one the machine accepts from its user, an actor's done or error
 * event (the environment's choice), or a timer's; `label` names it in test titles.
 */
export type ModelEvent = EventObject & {
  readonly label: string
  readonly actor?: ActorName
  readonly output?: unknown
  readonly error?: KeywayError
}

/** The machine's snapshot. */
export type MachineSnapshot = SnapshotFrom<KeywayMachine>

/** The actor a state's `xstate.done.actor.*` or `xstate.error.actor.*` event comes from. */
function invokedActor(state: MachineSnapshot, eventType: string): ActorName {
  const id = eventType.replace(/^xstate\.(done|error)\.actor\./, '')
  const invoke = state._nodes.flatMap((node) => node.invoke).find((def) => def.id === id)
  return invoke?.src as ActorName
}

/** Every event the model tries in `state`, with each outcome its actors may end with. */
function eventsIn(state: MachineSnapshot, restoreOutcomes: readonly string[]): ModelEvent[] {
  const types = [...new Set(state._nodes.flatMap((node) => node.ownEvents))]
  return types.flatMap((type): ModelEvent[] => {
    if (type.startsWith('xstate.after.')) return [{ type, label: 'timer' }]
    if (type === 'login.cancel') {
      return [{ type, label: type, error: fail(KeywayErrorCodes.aborted) }]
    }
    if (!type.startsWith('xstate.')) return [{ type, label: type }]
    const actor = invokedActor(state, type)
    if (!(actor in outcomes)) throw new Error(`The model has no outcomes for the ${actor} actor`)
    const done = type.startsWith('xstate.done.')
    const tried = (name: string) => actor !== 'restore' || restoreOutcomes.includes(name)
    return Object.entries(outcomes[actor])
      .filter(([name, outcome]) => 'output' in outcome === done && tried(name))
      .map(([name, outcome]) => ({ type, label: `${actor}:${name}`, actor, ...outcome }))
  })
}

/**
 * What the model tells states apart by: what the machine's guards and outputs depend on.
 * The count of failed refreshes (and the backoff it sets) is left out, so the graph is finite.
 */
export function observe(state: MachineSnapshot) {
  const { context } = state
  return {
    value: state.value,
    tokens: kindOf(context.tokens),
    unsaved: context.unsaved,
    error: context.error?.code,
  }
}

const stateKey = (state: MachineSnapshot) => JSON.stringify(observe(state))

/** A way the machine may start: its input, what the store holds, and the restores tried. */
export interface Scenario {
  readonly name: string
  readonly input: KeywayMachineInput
  readonly stored: TokenKind | 'none'
  readonly restoreOutcomes: readonly string[]
  /** Where exploring stops; everything after it is explored by another scenario. */
  readonly stopWhen?: (state: MachineSnapshot) => boolean
}

/** The scenarios the model explores. */
const scenarios: readonly Scenario[] = [
  {
    name: 'cold start',
    input: { clock: frozenClock },
    stored: 'none',
    restoreOutcomes: Object.keys(outcomes.restore),
  },
  {
    // Tokens read before the machine started are kept when the store cannot be read.
    name: 'tokens held, store down',
    input: { clock: frozenClock, tokens: sealed.fresh },
    stored: 'fresh',
    restoreOutcomes: ['storeDown'],
    stopWhen: (state) => !state.matches('restoring'),
  },
]

/** A path to replay: a scenario and the steps the graph found. */
export interface ModelPath {
  readonly scenario: Scenario
  readonly steps: StatePath<MachineSnapshot, ModelEvent>['steps']
  readonly title: string
}

/**
 * One path per transition of the model's graph. Each graph vertex is a state *with the event
 * that entered it and the state it came from*, so `getShortestPaths` (one path per vertex)
 * yields a shortest path ending in each transition; paths that are a prefix of another are
 * dropped.
 */
export function modelPaths(machine: KeywayMachine): ModelPath[] {
  const paths = scenarios.flatMap((scenario) =>
    getShortestPaths(machine, {
      input: scenario.input,
      events: ((state: MachineSnapshot) => eventsIn(state, scenario.restoreOutcomes)) as never,
      serializeEvent: (event) => (event as ModelEvent).label,
      serializeState: (state, event, previous) =>
        `${stateKey(state)} via ${(event as ModelEvent | undefined)?.label} from ${previous && stateKey(previous)}`,
      stopWhen: scenario.stopWhen,
    }).map((path) => {
      const steps = path.steps as unknown as ModelPath['steps']
      const events = steps.slice(1).map((step) => step.event.label)
      return { scenario, steps, title: `${scenario.name}: ${events.join(' → ')}`, events }
    }),
  )
  type Found = (typeof paths)[number]
  const continues = (longer: Found, shorter: Found) =>
    longer.scenario === shorter.scenario &&
    longer.events.length > shorter.events.length &&
    shorter.events.every((label, i) => longer.events[i] === label)
  return paths
    .filter((path) => !paths.some((other) => continues(other, path)))
    .map(({ events: _events, ...path }) => path)
}

const guardLabel = (guard: AnyTransitionDefinition['guard']) => {
  if (guard === undefined) return ''
  if (typeof guard === 'string') return ` [${guard}]`
  if (typeof guard === 'object') {
    const { type, params } = guard as { type: string; params?: { plan?: string } }
    return ` [${type}${params?.plan ? ` ${params.plan}` : ''}]`
  }
  return ' [inline guard]'
}

const nodeName = (node: AnyStateNode) => node.path.join('.') || '(root)'

/** A transition of the machine's definition, as `source —event [guard]→ target`. */
export function transitionName(transition: AnyTransitionDefinition): string {
  const { source, eventType } = transition
  const invoke = source.invoke.find((def) => eventType.endsWith(`.actor.${def.id}`))
  const event =
    eventType === ''
      ? 'always'
      : eventType.startsWith('xstate.after.')
        ? 'timer'
        : invoke
          ? `${eventType.startsWith('xstate.done.') ? 'done' : 'error'}(${invoke.src})`
          : eventType
  const target = transition.target?.map(nodeName).join(', ') ?? '(no target)'
  return `${nodeName(source)} —${event}${guardLabel(transition.guard)}→ ${target}`
}

/** Every transition the machine defines: events, timers, actor outcomes, eventless. */
export function definedTransitions(node: AnyStateNode): string[] {
  const own = [...node.transitions.values()].flat().concat(node.always ?? [])
  return own
    .map(transitionName)
    .concat(Object.values(node.states).flatMap((child) => definedTransitions(child)))
}

type StoredTokens = Sealed<TokenSet> | undefined

/**
 * The machine's actors for a replay, around a store that is one record (`stored`): each
 * waits until the replay says how it ends, then does to the store what the real actor would
 * (restore reads it, exchange and a saved refresh write it, logout clears it) and ends so.
 */
export class ScriptedActors {
  /** What the store holds. */
  stored: TokenSet | undefined
  readonly #running = new Map<ActorName, { input: unknown; end: (event: ModelEvent) => void }>()

  constructor(stored: TokenKind | 'none') {
    this.stored = stored === 'none' ? undefined : sealed[stored].unseal()
  }

  /** The actors running now, with their inputs. */
  running(): Map<ActorName, unknown> {
    return new Map([...this.#running].map(([name, { input }]) => [name, input]))
  }

  /** Ends the running `event.actor` with the event's outcome. */
  end(event: ModelEvent): void {
    const actor = this.#running.get(event.actor!)
    if (actor === undefined) throw new Error(`The ${event.actor} actor is not running`)
    actor.end(event)
  }

  #outcome<T>(name: ActorName, input: unknown, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      signal.addEventListener('abort', () => this.#running.delete(name))
      this.#running.set(name, {
        input,
        end: (event) => {
          this.#running.delete(name)
          if (event.error) reject(event.error)
          else resolve(event.output as T)
        },
      })
    })
  }

  /** The actors to give `keywayMachine().provide()`. */
  actors() {
    const save = (tokens: StoredTokens) => {
      this.stored = tokens?.unseal()
    }
    return {
      restore: fromPromise<StoredTokens>(async ({ signal }) => {
        const tokens = await this.#outcome<StoredTokens>('restore', undefined, signal)
        save(tokens) // what the store held when it was read
        return tokens
      }),
      authorize: fromPromise<Sealed<PendingLogin>>(({ signal }) =>
        this.#outcome('authorize', undefined, signal),
      ),
      exchange: fromPromise<Sealed<TokenSet>, Sealed<PendingLogin>>(async ({ input, signal }) => {
        const tokens = await this.#outcome<Sealed<TokenSet>>('exchange', input, signal)
        save(tokens)
        return tokens
      }),
      refresh: fromPromise<RefreshOutput, RefreshInput>(async ({ input, signal }) => {
        const output = await this.#outcome<RefreshOutput>('refresh', input, signal)
        if (output.saveError === undefined) save(output.tokens)
        return output
      }),
      storeBack: fromPromise<undefined>(({ signal }) =>
        this.#outcome('storeBack', undefined, signal),
      ),
      resave: fromPromise<Sealed<TokenSet>, RefreshInput>(async ({ input, signal }) => {
        const tokens = await this.#outcome<Sealed<TokenSet>>('resave', input, signal)
        save(tokens)
        return tokens
      }),
      logout: fromPromise<undefined, StoredTokens>(async ({ input, signal }) => {
        await this.#outcome<undefined>('logout', input, signal)
        save(undefined)
        return undefined
      }),
    }
  }
}
