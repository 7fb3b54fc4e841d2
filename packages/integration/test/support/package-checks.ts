import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The workspace root's `node_modules/.bin`, where the package checkers are installed. */
const bin = fileURLToPath(new URL('../../../../node_modules/.bin/', import.meta.url))

/** What one checker said of one tarball: its exit code and report. */
export interface CheckReport {
  readonly code: number
  readonly report: string
}

async function check(command: string, args: readonly string[]): Promise<CheckReport> {
  try {
    const { stdout, stderr } = await run(bin + command, args, { timeout: 60_000 })
    return { code: 0, report: stdout + stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code ?? 1, report: `${failed.stdout ?? ''}${failed.stderr ?? error}` }
  }
}

/**
 * `attw` on a tarball, with the `node16` profile: every resolution mode but `node10`, which
 * predates `exports` and is not served (the packages have no `main`).
 */
export const attw = (tarball: string) =>
  check('attw', ['--profile', 'node16', '--format', 'ascii', '--no-color', tarball])

/** `publint --strict` on a tarball: warnings count as errors. */
export const publint = (tarball: string) => check('publint', ['run', tarball, '--strict'])
