/**
 * docs/machine.md is generated from Keyway's machine by `pnpm run docs`. These tests
 * regenerate it in memory and fail when the checked-in copy is stale, and show that the
 * generator reads the machine: a transition added to a copy of it changes the document.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  KeywayError,
  KeywayErrorCodes,
  keywayMachine,
  Sealed,
  summarizeTokens,
  type TokenSet,
} from '@keyway/core'
import {
  assertMachineDocCurrent,
  INSPECTOR_VIEW,
  MACHINE_DOC_PATH,
  machineDocument,
  machineGraph,
  REPO_ROOT,
  readMachineSources,
} from '@keyway/scripts'
import { describe, expect, it } from 'vitest'
import { type AnyStateMachine, createActor, createMachine } from 'xstate'

const machine = keywayMachine()
const sources = await readMachineSources(REPO_ROOT)
const checkedIn = await readFile(join(REPO_ROOT, MACHINE_DOC_PATH), 'utf8')

/** The lines of the first Mermaid block (the overview) that draw a transition. */
function overviewLines(document: string): string[] {
  const overview = /```mermaid\n([\s\S]*?)```/.exec(document)?.[1] ?? ''
  return overview.split('\n').filter((line) => line.includes(' --> ') && !line.includes('[*]'))
}

/**
 * A copy of the machine with two transitions more: `logout` from `idle`, and a guarded
 * `token.refresh` from `failed`.
 */
function machineWithMoreTransitions(): AnyStateMachine {
  const { config } = machine
  const states = config.states ?? {}
  return createMachine(
    {
      ...config,
      states: {
        ...states,
        idle: { ...states.idle, on: { ...states.idle?.on, logout: { target: 'loggingOut' } } },
        failed: {
          ...states.failed,
          on: {
            ...states.failed?.on,
            'token.refresh': { guard: 'hasRefreshToken', target: 'refreshing' },
          },
        },
      },
    } as never,
    machine.implementations as never,
  )
}

describe(MACHINE_DOC_PATH, () => {
  it('is what the machine generates now (else: run `pnpm run docs`)', () => {
    expect(() =>
      assertMachineDocCurrent(checkedIn, machineDocument(machine, sources)),
    ).not.toThrow()
  })

  it('changes when a transition is added to the machine, and the check then fails', () => {
    const changed = machineDocument(machineWithMoreTransitions(), sources)
    const added = [
      '  idle --> loggingOut: logout',
      '  failed --> refreshing: token.refresh [hasRefreshToken]',
    ]
    expect(overviewLines(changed)).toEqual(expect.arrayContaining(added))
    for (const line of added) expect(overviewLines(checkedIn)).not.toContain(line)
    expect(changed).toContain('| `idle` | `loggingOut` |')
    expect(() => assertMachineDocCurrent(checkedIn, changed)).toThrow(
      /docs\/machine\.md is stale .*: run `pnpm run docs`/,
    )
  })

  it('draws one overview line per pair of distinct top-level states, for every transition between them', () => {
    const lines = overviewLines(checkedIn)
    const pairs = lines.map((line) => line.split(':')[0]?.trim().split(' --> ') ?? [])
    expect(pairs.every(([from, to]) => from !== to)).toBe(true)
    expect(new Set(pairs.map((pair) => pair.join(' '))).size).toBe(pairs.length)
    const joined = new Set(
      machineGraph(machine).transitions.flatMap((transition) =>
        transition.targets
          .filter((target) => target[0] !== transition.source[0])
          .map((target) => `${transition.source[0]} ${target[0]}`),
      ),
    )
    expect(new Set(pairs.map((pair) => pair.join(' ')))).toEqual(joined)
  })

  it("documents exactly the machine's context fields, events and actors", () => {
    const context = Object.keys(createActor(machine, { input: {} }).getSnapshot().context).sort()
    expect(sources.context.map((field) => field.name).sort()).toEqual(context)
    expect(Object.keys(INSPECTOR_VIEW).sort()).toEqual(context)
    const actors = Object.keys(machine.implementations.actors).sort()
    expect(sources.actors.map((actor) => actor.name).sort()).toEqual(actors)
    const events = machineGraph(machine).transitions.flatMap(({ trigger }) =>
      trigger.kind === 'event' ? [trigger.event] : [],
    )
    expect(sources.events.map((event) => event.name).sort()).toEqual([...new Set(events)].sort())
  })

  it('says what an inspector sees of each context field as a snapshot serializes it', () => {
    const tokens: TokenSet = {
      accessToken: 'at-secret',
      tokenType: 'Bearer',
      refreshToken: 'rt-secret',
      idToken: 'id-secret',
      scope: 'openid',
      expiresAt: 2,
      obtainedAt: 1,
    }
    const { context } = createActor(machine, {
      input: { tokens: new Sealed(tokens, summarizeTokens) },
    }).getSnapshot()
    const seen = JSON.parse(JSON.stringify(context)) as Record<string, unknown>
    const named = (view: string) => [...view.matchAll(/`(\w+)`/g)].map((match) => match[1])
    expect(Object.keys(seen.tokens as object).sort()).toEqual(named(INSPECTOR_VIEW.tokens).sort())
    expect(JSON.stringify(seen)).not.toMatch(/secret/)
    const error = new KeywayError(KeywayErrorCodes.providerError, 'The provider refused.', {
      error: 'invalid_request',
      errorDescription: 'bad',
      status: 400,
    })
    const errorKeys = Object.keys(JSON.parse(JSON.stringify(error)) as object).sort()
    expect(errorKeys).toEqual(named(INSPECTOR_VIEW.error).sort())
    expect(seen.clock).toEqual({})
    const asIs = Object.entries(INSPECTOR_VIEW).filter(([, view]) => view === 'As is.')
    expect(asIs.length).toBeGreaterThan(0)
    for (const [field] of asIs) {
      expect(seen[field]).toEqual(context[field as keyof typeof context])
    }
  })
})
