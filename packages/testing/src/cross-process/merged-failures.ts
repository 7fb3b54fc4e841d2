import type { FinalReport } from './token-workers.js'

/** The failures every worker counted, added up by code (`call:<code>`, `event:<code>`). */
export function mergedFailures(reports: readonly FinalReport[]): Record<string, number> {
  const merged: Record<string, number> = {}
  for (const report of reports) {
    for (const [what, count] of Object.entries(report.failures)) {
      merged[what] = (merged[what] ?? 0) + count
    }
  }
  return merged
}
