/**
 * Timers that never keep the process alive: the refresh timer must not block exit. Pass it
 * as `createActor(machine, { clock: unrefClock })` when you run Keyway's machine yourself
 * (`createKeyway()` does).
 */
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
