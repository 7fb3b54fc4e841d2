import { isAccessTokenFresh } from '@keyway/core'
import { chosenFormat, minTtlMs } from '../commands/token-options.js'
import { formatToken } from '../commands/token-output.js'
import { commandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import type { CliIo } from '../io.js'
import { openProfileStore, readStoredTokens, tellStoreNotice } from '../session.js'
import { traceWriter } from '../trace/trace-target.js'
import { readTokenCommandLine } from './token-command-line.js'

/**
 * `keyway token` when the stored token is fresh enough: reads the profile's settings, opens
 * its store, reads the record and prints the token if it has more than `--min-ttl` left (the
 * rule `getTokens({ minTtl })` applies), without loading commander, xstate, the protocol or
 * a transport. In the `keyway` bin, a bundle, it loads only the code it runs; through this
 * package's `main` (unbundled), @keyway/core's main entry still brings the machine's own
 * modules. Resolves with undefined whenever it does not print: a command line it does
 * not read (see `readTokenCommandLine`), `--force-refresh`, a trace asked for, a token to
 * refresh, no grant, an interruption, or any error. The full command then runs from the
 * start and reports what it finds, so every error is told once, by the code that tells all
 * the others.
 *
 * Settings' variables are read where commander reads them, `process.env`; an `io` with an
 * environment of its own therefore always takes the full command.
 */
export async function serveStoredToken(
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCode | undefined> {
  if (io.env !== process.env) return undefined
  const line = readTokenCommandLine(argv, io.env)
  if (line === undefined || line.token.forceRefresh === true) return undefined
  if (traceWriter(false, io.env, io.stderr) !== undefined) return undefined
  const context = commandContext(io, line.common)
  try {
    const format = chosenFormat(context, line.token)
    const minTtl = minTtlMs(line.token.minTtl)
    const settings = await context.settings()
    const opened = await openProfileStore(context, settings, true)
    try {
      const tokens = await readStoredTokens(settings, opened.store)
      // Interrupted while the store answered: the full command cancels as it always has.
      if (context.signal.aborted) return undefined
      const now = Date.now()
      if (tokens === undefined || !isAccessTokenFresh(tokens, now, minTtl)) return undefined
      tellStoreNotice(context, opened.notice)
      io.stdout.write(formatToken(format, tokens, settings.scopes.value, now))
      return ExitCode.ok
    } finally {
      await opened.close()
    }
  } catch {
    return undefined
  }
}
