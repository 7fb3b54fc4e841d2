import { configError } from '@keyway/core'
import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { openSession } from '../session.js'
import { formatToken, type TokenFormat } from './token-output.js'

/** The options of `keyway token`. */
export interface TokenCommandOptions {
  /** Refresh first when the token has fewer seconds left than this. */
  readonly minTtl?: string
  readonly forceRefresh?: boolean
  readonly header?: boolean
  readonly env?: boolean
}

function chosenFormat(context: CommandContext, options: TokenCommandOptions): TokenFormat {
  const chosen = [
    context.json && ('json' as const),
    options.header === true && ('header' as const),
    options.env === true && ('env' as const),
  ].filter((format) => format !== false)
  if (chosen.length > 1) throw configError('Choose one of --json, --header and --env.')
  return chosen[0] ?? 'plain'
}

/**
 * The least lifetime a served token has left by default, in seconds: enough for the request
 * it was fetched for, so it does not expire on the way.
 */
export const DEFAULT_MIN_TTL_SECONDS = 60

function minTtlMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MIN_TTL_SECONDS * 1000
  const seconds = Number(text)
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw configError(
      `--min-ttl takes a number of seconds, 0 or more, not ${JSON.stringify(text)}.`,
    )
  }
  return seconds * 1000
}

/**
 * `keyway token`: prints a fresh access token, alone, on stdout. It never starts a login:
 * without a usable grant it fails with `login_required` (exit 4). It refreshes first when the
 * token has less than `--min-ttl` seconds left (60 by default), or with `--force-refresh`.
 */
export async function runToken(
  context: CommandContext,
  options: TokenCommandOptions,
): Promise<ExitCode> {
  const format = chosenFormat(context, options)
  const minTtl = minTtlMs(options.minTtl)
  const settings = await context.settings()
  const session = await openSession(context, settings, { fetch: await context.fetch() })
  try {
    const tokens = await session.kw.getTokens({
      signal: context.signal,
      minTtl,
      ...(options.forceRefresh === true ? { forceRefresh: true } : {}),
    })
    context.io.stdout.write(formatToken(format, tokens, settings.scopes.value, Date.now()))
    return ExitCode.ok
  } finally {
    await session.close()
  }
}
