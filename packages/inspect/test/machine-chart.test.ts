import { keywayMachine } from '@keyway/core'
import { machineChart } from '@keyway/inspect'
import { describe, expect, it } from 'vitest'

describe('machineChart', () => {
  const chart = machineChart(keywayMachine().root)
  const state = (path: string) => chart.states.find((candidate) => candidate.path === path)

  it("lists Keyway's states in declared order, nested ones inside their parent", () => {
    expect(chart.id).toBe('keyway')
    expect(chart.states.map((s) => s.path)).toEqual([
      'restoring',
      'restored',
      'idle',
      'authorizing',
      'exchanging',
      'authorized',
      'authorized.waiting',
      'authorized.retrying',
      'authorized.unsaved',
      'authorized.saving',
      'refreshing',
      'loginRequired',
      'failed',
      'loggingOut',
    ])
    expect(state('authorized')).toMatchObject({ kind: 'compound', depth: 0, initial: false })
    expect(state('authorized.waiting')).toMatchObject({
      parent: 'authorized',
      key: 'waiting',
      initial: true,
      entry: ['planRefresh'],
    })
    expect(state('restoring')).toMatchObject({ initial: true, runs: ['restore'] })
  })

  it('names each transition by its event and guard, eventless ones included', () => {
    expect(state('restored')?.transitions).toEqual([
      { event: 'always', target: 'authorized', guard: 'restoresTo(authorized)' },
      { event: 'always', target: 'refreshing', guard: 'restoresTo(refreshing)' },
      { event: 'always', target: 'loginRequired', guard: 'restoresTo(loginRequired)' },
      { event: 'always', target: 'idle' },
    ])
    expect(state('authorized')?.transitions).toContainEqual({
      event: 'token.refresh',
      target: 'refreshing',
      guard: 'hasRefreshToken',
    })
    expect(state('authorized.waiting')?.transitions).toEqual([
      { event: 'always', target: 'authorized.unsaved', guard: 'hasUnsavedTokens' },
      { event: 'after untilRefresh', target: 'refreshing', guard: 'isRefreshDue' },
      { event: 'after untilRefresh', target: 'authorized.waiting' },
    ])
    expect(state('exchanging')?.transitions).toEqual([
      { event: 'login.cancel', target: 'authorized', guard: 'hasTokens' },
      { event: 'login.cancel', target: 'idle' },
      { event: 'done', target: 'authorized' },
      { event: 'error', target: 'authorized', guard: 'hasTokens' },
      { event: 'error', target: 'failed' },
    ])
  })
})
