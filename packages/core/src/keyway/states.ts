import type { KeywayState } from './types.js'

/** The states a caller waits for: nothing is under way in them. */
const settledStates: ReadonlySet<KeywayState> = new Set([
  'idle',
  'authorized',
  'loginRequired',
  'failed',
])

/** True for a state in which nothing is under way. */
export function isSettled(state: KeywayState): boolean {
  return settledStates.has(state)
}

/** The top-level state's name of a snapshot value (`{ authorized: 'waiting' }` → `authorized`). */
export function topState(value: unknown): KeywayState {
  return (typeof value === 'string' ? value : Object.keys(value as object)[0]) as KeywayState
}

/** Timers that never keep the process alive: the refresh timer must not block exit. */
export const unrefClock = {
  setTimeout(fn: (...args: unknown[]) => void, ms: number) {
    const timer = setTimeout(fn, ms)
    timer.unref()
    return timer
  },
  clearTimeout(timer: unknown) {
    clearTimeout(timer as NodeJS.Timeout)
  },
}
