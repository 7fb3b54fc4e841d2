import { setImmediate as onNextTurn } from 'node:timers'

/**
 * Resolves on the event loop's next turn. Taken from `node:timers` at load, so fake timers
 * that a test installs on `globalThis` later do not hold it back.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => onNextTurn(resolve))
}
