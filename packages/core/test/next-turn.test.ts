import { setImmediate as realImmediate } from 'node:timers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTurn } from '../src/machine/next-turn.js'

afterEach(() => {
  vi.useRealTimers()
})

/** Two real turns of the event loop, whatever fake timers are installed. */
function twoRealTurns(): Promise<void> {
  return new Promise((resolve) => realImmediate(() => realImmediate(resolve)))
}

describe('nextTurn', () => {
  it('comes after every queued microtask', async () => {
    const seen: string[] = []
    const turn = nextTurn().then(() => seen.push('turn'))
    queueMicrotask(() => seen.push('microtask'))
    await turn
    expect(seen).toEqual(['microtask', 'turn'])
  })

  it('is not held back by fake timers that an app’s test installs', async () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout'] })
    const came = await Promise.race([nextTurn().then(() => true), twoRealTurns().then(() => false)])
    expect(came).toBe(true)
  })
})
