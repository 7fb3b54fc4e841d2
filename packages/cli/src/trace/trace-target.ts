import { appendFileSync } from 'node:fs'
import type { TerminalStream } from '../io.js'

/** Where trace lines go: a writer of one line at a time, or nowhere. */
export type TraceWriter = (line: string) => void

const onValues = new Set(['1', 'true', 'yes', 'on', 'stderr'])
const offValues = new Set(['', '0', 'false', 'no', 'off'])

/**
 * Where `--verbose` and `KEYWAY_TRACE` send the trace: `--verbose`, or `KEYWAY_TRACE=1`, to
 * stderr; `KEYWAY_TRACE=<file>` appended to that file (created private, 0600); nowhere when
 * neither is set. `stderr` is read only when a line is written to it (Node builds
 * `process.stderr` on first use).
 */
export function traceWriter(
  verbose: boolean,
  env: Readonly<Record<string, string | undefined>>,
  stderr: () => TerminalStream,
): TraceWriter | undefined {
  const setting = env.KEYWAY_TRACE?.trim()
  const toStderr: TraceWriter = (line) => stderr().write(`trace ${line}\n`)
  if (verbose) return toStderr
  if (setting === undefined || offValues.has(setting.toLowerCase())) return undefined
  if (onValues.has(setting.toLowerCase())) return toStderr
  return (line) => appendFileSync(setting, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 })
}
