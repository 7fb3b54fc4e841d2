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

function minTtlMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
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
 * without a usable grant it fails with `login_required` (exit 4). It refreshes only when the
 * token is about to expire (or has less than `--min-ttl` left, or `--force-refresh`).
 */
export async function runToken(
  context: CommandContext,
  options: TokenCommandOptions,
): Promise<ExitCode> {
  const format = chosenFormat(context, options)
  const minTtl = minTtlMs(options.minTtl)
  const settings = await context.settings()
  const session = await openSession(settings, context.configDir, { fetch: await context.fetch() })
  try {
    const tokens = await session.kw.getTokens({
      signal: context.signal,
      ...(minTtl === undefined ? {} : { minTtl }),
      ...(options.forceRefresh === true ? { forceRefresh: true } : {}),
    })
    context.io.stdout.write(formatToken(format, tokens, settings.scopes.value, Date.now()))
    return ExitCode.ok
  } finally {
    await session.close()
  }
}
