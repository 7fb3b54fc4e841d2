import { isAccessTokenFresh } from '@keyway/core'
import { minTtlMs } from '../commands/token-options.js'
import { commandContext } from '../context.js'
import { readCredentialRequest } from '../git/credential-request.js'
import { gitCredentialAnswer } from '../git/git-answer.js'
import { gitProfile } from '../git/git-profile.js'
import { isRejected, isSameToken, markRejected } from '../git/rejected-token.js'
import type { CliIo } from '../io.js'
import { ownValue, readCommandLine } from './command-line.js'
import type { StoredTokenRequest } from './stored-request.js'

/** The options and actions of `keyway git-credential` itself. */
export const gitCredentialOptions = {
  name: 'git-credential',
  switches: new Map<string, string>(),
  values: new Map([
    ['--username', 'username'],
    ['--min-ttl', 'minTtl'],
  ]),
  actions: new Set(['get', 'store', 'erase']),
}

/**
 * `keyway git-credential get|store|erase` from the store. `get` answers with the stored
 * access token when it has more than `--min-ttl` left and no server rejected it; `erase`
 * notes a rejected token (see `markRejected`); `store` has nothing to keep, the tokens being
 * Keyway's. git's request is read once (see `readCredentialRequest`), so the full command
 * sees it too when this path does not answer.
 */
export async function gitCredentialRequest(
  argv: readonly string[],
  io: CliIo,
): Promise<StoredTokenRequest | undefined> {
  const line = readCommandLine(argv, io.env, gitCredentialOptions)
  if (line === undefined) return undefined
  const request = await readCredentialRequest(io.stdin)
  const config = await commandContext(io, line.common).config()
  const profile = gitProfile(line.common.profile, request, config)
  if (profile === undefined) return undefined
  const username = ownValue(line, 'username')
  const minTtl = ownValue(line, 'minTtl')
  return {
    common: { ...line.common, profile },
    answer: async ({ context, settings, tokens, now }) => {
      const { configDir } = context
      switch (line.action) {
        case 'store':
          return ''
        case 'erase':
          if (isSameToken(request.get('password'), tokens.accessToken)) {
            await markRejected(configDir, profile.value, tokens.accessToken)
          }
          return ''
        default: {
          const least = minTtlMs(minTtl)
          if (!isAccessTokenFresh(tokens, now, least)) return undefined
          if (await isRejected(configDir, profile.value, tokens.accessToken)) return undefined
          return gitCredentialAnswer(settings, tokens, username)
        }
      }
    },
  }
}
