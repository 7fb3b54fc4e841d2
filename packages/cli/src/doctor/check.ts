import type { Style } from '../ui/style.js'

/** How a check of `keyway doctor` went. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip'

/** One check's outcome: a one-line summary, and the facts behind it (masked). */
export interface CheckResult {
  readonly name: string
  readonly status: CheckStatus
  readonly summary: string
  readonly details: readonly string[]
}

/** A check's outcome, built in one call. */
export function check(
  name: string,
  status: CheckStatus,
  summary: string,
  details: readonly string[] = [],
): CheckResult {
  return { name, status, summary, details }
}

/** The check that could not run because an earlier one failed. */
export function skipped(name: string, because: string): CheckResult {
  return check(name, 'skip', because)
}

/** The checks as the report prints them: a status column, the name, the summary, the details. */
export function checksText(results: readonly CheckResult[], style: Style): string {
  const paint = { ok: style.green, warn: style.yellow, fail: style.red, skip: style.dim }
  const width = Math.max(...results.map((result) => result.name.length))
  return results
    .map((result) => {
      const head = `${paint[result.status](result.status.padEnd(4))}  ${result.name.padEnd(width)}  ${result.summary}`
      const details = result.details.map((detail) => `${' '.repeat(width + 8)}${detail}`)
      return [head, ...details].join('\n')
    })
    .join('\n')
}
