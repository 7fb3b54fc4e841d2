import { round, type SideMedians } from './stats.js'

/**
 * One figure: a JSON line on stdout, and a human line on stderr with its target and, when
 * given, a note (such as the medians a ratio was taken from).
 */
export function report(name: string, value: number, target: string, note?: string): void {
  process.stdout.write(`${JSON.stringify({ name, value })}\n`)
  const human = `  ${name.padEnd(24)} ${String(value).padStart(12)}   target ${target}`
  process.stderr.write(note === undefined ? `${human}\n` : `${human.padEnd(62)} ${note}\n`)
}

/** The targets of one Keyway-against-bare comparison. */
export interface SideTargets {
  /** Target of `<prefix>_ratio`, Keyway's median over the bare one, e.g. `'<= 1.3'`. */
  readonly ratio: string
  /** Target of `<prefix>_overhead_ms`, Keyway's median minus the bare one, in ms. */
  readonly overheadMs: string
}

/**
 * Two figures from one pair of medians: `<prefix>_ratio` (with both medians beside it on
 * stderr) and `<prefix>_overhead_ms`, each rounded to 3 decimals.
 */
export function reportSides(prefix: string, medians: SideMedians, targets: SideTargets): void {
  const sides = `keyway ${medians.keyway.toFixed(3)} ms · bare ${medians.bare.toFixed(3)} ms`
  report(`${prefix}_ratio`, round(medians.keyway / medians.bare), targets.ratio, sides)
  report(`${prefix}_overhead_ms`, round(medians.keyway - medians.bare), targets.overheadMs)
}
