import { commandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { type CliIo, writeResult } from '../io.js'
import { openProfileStore, readStoredTokens, tellStoreNotice } from '../session.js'
import { traceWriter } from '../trace/trace-target.js'
import { storedTokenRequest } from './stored-request.js'

/**
 * `keyway token`, `keyway kubectl-credential` and `keyway git-credential` when the stored
 * token serves: reads the profile's settings, opens its store, reads the record and prints
 * what the command prints for it (see `storedTokenRequest`), without loading commander,
 * xstate, the protocol or a transport. In the `keyway` bin, a bundle, it loads only the code
 * it runs; through this package's `main` (unbundled), @keyway/core's main entry still brings
 * the machine's own modules. Resolves with undefined whenever it does not print: a command
 * line it does not read (see `readCommandLine`), `--force-refresh`, a trace asked for, a
 * token to refresh, no grant, an interruption, or any error. The full command then runs from
 * the start and reports what it finds, so every error is told once, by the code that tells
 * all the others.
 *
 * Settings' variables are read where commander reads them, `process.env`; an `io` with an
 * environment of its own therefore always takes the full command.
 */
export async function serveStoredToken(
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCode | undefined> {
  if (io.env !== process.env) return undefined
  if (traceWriter(false, io.env, () => io.stderr) !== undefined) return undefined
  // Once the answer is being written, a failure (a closed stdout) is the command's own: the
  // full command would only write it again.
  let writing = false
  try {
    const request = await storedTokenRequest(argv, io)
    if (request === undefined) return undefined
    const context = commandContext(io, request.common)
    const settings = await context.settings()
    const opened = await openProfileStore(context, settings, true)
    try {
      const tokens = await readStoredTokens(settings, opened.store)
      // Interrupted while the store answered: the full command cancels as it always has.
      if (context.signal.aborted || tokens === undefined) return undefined
      const answer = await request.answer({ context, settings, tokens, now: Date.now() })
      if (answer === undefined) return undefined
      tellStoreNotice(context, opened.notice)
      writing = true
      writeResult(io, answer)
      return ExitCode.ok
    } finally {
      await opened.close()
    }
  } catch (error) {
    if (writing) throw error
    return undefined
  }
}
