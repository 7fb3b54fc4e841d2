import { type CommandContext, commandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { readCredentialRequest } from '../git/credential-request.js'
import { gitCredentialAnswer } from '../git/git-answer.js'
import { gitProfile } from '../git/git-profile.js'
import { clearRejected, isRejected, isSameToken, markRejected } from '../git/rejected-token.js'
import { openSession, readStoredTokens } from '../session.js'
import { minTtlMs } from './token-options.js'

/** The options of `keyway git-credential`. */
export interface GitCredentialOptions {
  /** The username to answer with, in place of the provider's. */
  readonly username?: string
  /** Refresh first when the access token has fewer seconds left than this. */
  readonly minTtl?: string
}

/** The actions of git's credential-helper protocol. */
const actions = new Set(['get', 'store', 'erase'])

/** `get`: a fresh access token; a rejected one is refreshed once (then forgotten). */
async function answerGet(context: CommandContext, options: GitCredentialOptions) {
  const minTtl = minTtlMs(options.minTtl)
  const settings = await context.settings()
  const profile = settings.profile.value
  const session = await openSession(context, settings, { fetch: await context.fetch() })
  try {
    const held = await session.kw.getTokens({ signal: context.signal, minTtl })
    const rejected = await isRejected(context.configDir, profile, held.accessToken)
    const tokens = rejected
      ? await session.kw.getTokens({ signal: context.signal, forceRefresh: true })
      : held
    if (rejected) await clearRejected(context.configDir, profile)
    context.io.stdout.write(gitCredentialAnswer(settings, tokens, options.username))
  } finally {
    await session.close()
  }
}

/** `erase`: git says a server rejected the password; note it when it is the stored token. */
async function erase(context: CommandContext, password: string | undefined) {
  const settings = await context.settings()
  const session = await openSession(context, settings)
  try {
    const tokens = await readStoredTokens(settings, session.store)
    if (tokens !== undefined && isSameToken(password, tokens.accessToken)) {
      await markRejected(context.configDir, settings.profile.value, tokens.accessToken)
    }
  } finally {
    await session.close()
  }
}

/**
 * `keyway git-credential get|store|erase`: git's credential helper. The profile is the one
 * named (`--profile`), else the one saved under git's `host/path` or `host` (see
 * `gitProfile`); for a host no profile serves, it answers nothing and git goes on to the next
 * helper. `get` answers with the profile's access token as the password (refreshed when
 * needed, never a login: exit 4 instead), `erase` of that token makes the next `get` refresh
 * once, and `store` keeps nothing (the tokens are Keyway's); any other action is ignored, as
 * git asks of helpers.
 */
export async function runGitCredential(
  context: CommandContext,
  action: string,
  options: GitCredentialOptions,
): Promise<ExitCode> {
  // git's protocol: a helper ignores the operations it does not know, for those to come.
  if (!actions.has(action)) return ExitCode.ok
  const request = await readCredentialRequest(context.io.stdin)
  const profile = gitProfile(
    context.profile.source.kind === 'default' ? undefined : context.profile,
    request,
    await context.config(),
  )
  if (profile === undefined || action === 'store') return ExitCode.ok
  const chosen = commandContext(context.io, { ...contextOptions(context), profile })
  if (action === 'erase') await erase(chosen, request.get('password'))
  else await answerGet(chosen, options)
  return ExitCode.ok
}

/** The common options `context` was made with, to make it again for another profile. */
function contextOptions(context: CommandContext) {
  return {
    json: context.json,
    verbose: context.verbose,
    input: context.interactive,
    given: context.given,
  }
}
