import { isAccessTokenFresh } from '@keyway/core'
import { chosenFormat, minTtlMs } from '../commands/token-options.js'
import { formatIdToken, formatToken } from '../commands/token-output.js'
import { freshIdToken } from '../id-token.js'
import type { StoredTokenRequest } from './stored-request.js'
import { readTokenCommandLine } from './token-command-line.js'

/**
 * `keyway token` from the store: the access token (or with `--id-token` the ID token) when it
 * has more than `--min-ttl` left, the rule `getTokens({ minTtl })` applies. `--force-refresh`
 * always takes the full command.
 */
export function tokenRequest(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StoredTokenRequest | undefined {
  const line = readTokenCommandLine(argv, env)
  if (line === undefined || line.token.forceRefresh === true) return undefined
  return {
    common: line.common,
    answer: async ({ context, settings, tokens, now }) => {
      const format = chosenFormat(context, line.token)
      const minTtl = minTtlMs(line.token.minTtl)
      if (line.token.idToken === true) {
        const served = freshIdToken(tokens, now, minTtl)
        const shape = format === 'header' ? 'header' : 'plain'
        return served === undefined ? undefined : formatIdToken(shape, served.idToken)
      }
      if (!isAccessTokenFresh(tokens, now, minTtl)) return undefined
      // A DPoP-bound token's header needs a proof: the full command makes it.
      if (format === 'header' && tokens.dpopKey !== undefined) return undefined
      return formatToken(format, tokens, settings.scopes.value, now)
    },
  }
}
