import type { TokenSet } from '@keyway/core'
import type { Settings } from '../config/settings.js'
import type { CommandContext, CommonOptions } from '../context.js'
import type { CliIo } from '../io.js'
import { gitCredentialRequest } from './git-request.js'
import { kubectlCredentialRequest } from './kubectl-request.js'
import { tokenRequest } from './token-request.js'

/** What a command served from the store answers with. */
export interface StoredAnswerInput {
  readonly context: CommandContext
  readonly settings: Settings
  /** The profile's stored tokens, as read, unrefreshed. */
  readonly tokens: TokenSet
  readonly now: number
}

/** A command line the stored-token path may serve without the full command. */
export interface StoredTokenRequest {
  /** The common options (the profile, the settings) the command runs with. */
  readonly common: CommonOptions
  /**
   * What to print on stdout for the stored tokens, or undefined when they do not serve
   * (expired, rejected, absent): the full command then runs. Any error has the same effect.
   */
  answer(input: StoredAnswerInput): Promise<string | undefined>
}

/**
 * The request `argv` makes of the stored-token path: `keyway token`, `keyway
 * kubectl-credential` or `keyway git-credential`, read without commander; undefined for
 * anything else, which the full command line serves.
 */
export async function storedTokenRequest(
  argv: readonly string[],
  io: CliIo,
): Promise<StoredTokenRequest | undefined> {
  return (
    tokenRequest(argv, io.env) ??
    kubectlCredentialRequest(argv, io.env) ??
    (await gitCredentialRequest(argv, io))
  )
}
