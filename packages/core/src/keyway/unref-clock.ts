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
