import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { openSession } from '../session.js'
import { getIdToken } from './id-token-tokens.js'
import { chosenFormat, dpopRequest, minTtlMs, type TokenCommandOptions } from './token-options.js'
import { formatDPoPHeaders, formatIdToken, formatToken } from './token-output.js'

/**
 * `keyway token`: prints a fresh access token, alone, on stdout. It never starts a login:
 * without a usable grant it fails with `login_required` (exit 4). It refreshes first when the
 * token has less than `--min-ttl` seconds left (60 by default), or with `--force-refresh`.
 * With `--id-token` it prints the ID token instead, on the same terms (see `getIdToken`).
 * With `--header`, a DPoP-bound token comes with its proof, made for the request that
 * `--url` (and `--method`, GET by default) name.
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
    if (options.idToken === true) {
      const forceRefresh = options.forceRefresh === true
      const served = await getIdToken(session.kw, { signal: context.signal, minTtl, forceRefresh })
      context.io.stdout.write(
        formatIdToken(format === 'header' ? 'header' : 'plain', served.idToken),
      )
      return ExitCode.ok
    }
    const tokens = await session.kw.getTokens({
      signal: context.signal,
      minTtl,
      ...(options.forceRefresh === true ? { forceRefresh: true } : {}),
    })
    if (format === 'header' && tokens.dpopKey !== undefined) {
      const request = dpopRequest(options)
      const headers = await session.kw.authorizationHeaders(request.method, request.url, {
        signal: context.signal,
      })
      context.io.stdout.write(formatDPoPHeaders(headers))
      return ExitCode.ok
    }
    context.io.stdout.write(formatToken(format, tokens, settings.scopes.value, Date.now()))
    return ExitCode.ok
  } finally {
    await session.close()
  }
}
