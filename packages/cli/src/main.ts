import type { ExitCode } from './exit-codes.js'
import { type CliIo, processIo } from './io.js'
import { serveStoredToken } from './stored-token/serve-stored-token.js'

/**
 * Runs the `keyway` command with `argv` (the arguments after the program's name) and
 * resolves with its exit code; it never calls `process.exit`. Results go to `io.stdout`,
 * everything for the person to `io.stderr`. With `--json`, every error, a wrong command line
 * included, is also one `{"error": {"code", "message", …}}` object on stdout.
 *
 * `keyway token` with a fresh stored token is served without loading the command line's
 * parser, xstate or any transport; everything else loads them now.
 *
 * @example
 * ```ts
 * import { main } from '@keyway/cli'
 * process.exitCode = await main(['token', '--profile', 'work'])
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const served = await serveStoredToken(argv, io)
  if (served !== undefined) return served
  const { runProgram } = await import('./run-program.js')
  return runProgram(argv, io)
}
