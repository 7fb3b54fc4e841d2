/** The medians of one comparison, in ms: Keyway's side and the bare openid-client one. */
export interface SideMedians {
  readonly keyway: number
  readonly bare: number
}

/** The median of `values` (which it sorts in place). */
export function median(values: number[]): number {
  return percentile(values, 50)
}

/** The `p`th percentile of `values` by nearest rank (sorts in place). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('no values')
  values.sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * values.length)
  return values[Math.min(values.length - 1, Math.max(0, rank - 1))]!
}

/**
 * Resolves on the event loop's next turn, once every queued microtask has run: work one
 * side leaves behind is then done before the other side's clock starts, and counts for
 * neither.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Milliseconds taken by `run`. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

/** Rounds a figure for printing. */
export function round(value: number, digits = 3): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/**
 * Measures the two sides in turn, round after round, and returns the median of each over
 * `runs` rounds; the first `warmup` rounds (which fill the disk and code caches) count for
 * neither. Interleaving makes a busy moment of the machine weigh on both sides alike.
 */
export function interleavedMedians(
  runs: number,
  keyway: () => number,
  bare: () => number,
  warmup = 2,
): { readonly keyway: number; readonly bare: number } {
  const sides = { keyway: [] as number[], bare: [] as number[] }
  for (let round = 0; round < warmup + runs; round++) {
    const k = keyway()
    const b = bare()
    if (round >= warmup) {
      sides.keyway.push(k)
      sides.bare.push(b)
    }
  }
  return { keyway: median(sides.keyway), bare: median(sides.bare) }
}
