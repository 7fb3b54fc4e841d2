import { CommanderError } from 'commander'
import { ExitCode } from './exit-codes.js'
import { type CliIo, processIo } from './io.js'
import { buildProgram } from './program.js'

/**
 * Runs the `keyway` command with `argv` (the arguments after the program's name) and
 * resolves with its exit code; it never calls `process.exit`. Results go to `io.stdout`,
 * everything for the person to `io.stderr`.
 *
 * @example
 * ```ts
 * import { main } from '@keyway/cli'
 * process.exitCode = await main(['token', '--profile', 'work'])
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.ok
  const program = buildProgram(io, (code) => {
    exitCode = code
  })
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    // --help and --version end here with 0; a wrong command line with 1.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.error
  }
  return exitCode
}
