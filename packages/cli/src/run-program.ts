import { KeywayErrorCodes } from '@keyway/core'
import { CommanderError } from 'commander'
import { ExitCode } from './exit-codes.js'
import type { CliIo } from './io.js'
import { buildProgram } from './program.js'

/** True when `--json` is among the options (before a `--` that ends them). */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--')
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json')
}

/** A wrong command line as the one JSON object `--json` promises on stdout. */
function commandLineError(error: CommanderError): string {
  const message =
    error.code === 'commander.help'
      ? 'No command given: keyway --help lists the commands.'
      : error.message.replace(/^error: /, '')
  const body = { error: { code: KeywayErrorCodes.configError, message, exitCode: ExitCode.error } }
  return `${JSON.stringify(body)}\n`
}

/**
 * Runs the `keyway` command with `argv` through its full command line (commander, every
 * command) and resolves with its exit code; {@link main} comes here for everything the
 * stored-token path does not serve. With `--json`, every error, a wrong command line
 * included, is also one `{"error": {"code", "message", …}}` object on stdout.
 */
export async function runProgram(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.ok
  const json = asksForJson(argv)
  const program = buildProgram(
    io,
    (code) => {
      exitCode = code
    },
    json,
  )
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    // --help and --version end here with 0; a wrong command line with 1.
    if (error.exitCode === 0) return ExitCode.ok
    if (json) io.stdout.write(commandLineError(error))
    return ExitCode.error
  }
  return exitCode
}
