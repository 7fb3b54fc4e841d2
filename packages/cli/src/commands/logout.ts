import type { KeywayError } from '@keyway/core'
import { isNoProfileError, type Settings } from '../config/settings.js'
import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { openSession } from '../session.js'
import { describeStore } from '../store/store-spec.js'

/** The settings, or undefined when no login ever made the profile (nothing to log out of). */
async function settingsIfAny(context: CommandContext): Promise<Settings | undefined> {
  try {
    return await context.settings()
  } catch (error) {
    if (isNoProfileError(error)) return undefined
    throw error
  }
}

/** Logout is idempotent: with no profile yet, it says so and succeeds. */
function nothingToLogOutOf(context: CommandContext): ExitCode {
  const profile = context.profile.value
  if (context.json) {
    context.io.stdout.write(`${JSON.stringify({ profile, loggedOut: false, store: null })}\n`)
  } else {
    context.io.stderr.write(`Nothing to log out of: there is no profile ${profile} yet.\n`)
  }
  return ExitCode.ok
}

/**
 * `keyway logout`: revokes the grant at the provider (RFC 7009) where it has a revocation
 * endpoint, and removes the tokens from the store. The profile stays, so `keyway login` logs
 * in again with the same settings. A refused revocation is told, not hidden: the tokens are
 * removed from this machine all the same. Idempotent: with no tokens, or no profile at all,
 * it says there was nothing to log out of and exits with 0.
 */
export async function runLogout(context: CommandContext): Promise<ExitCode> {
  const settings = await settingsIfAny(context)
  if (settings === undefined) return nothingToLogOutOf(context)
  const session = await openSession(context, settings, { fetch: await context.fetch() })
  const profile = settings.profile.value
  const store = describeStore(session.storeSpec, context.configDir)
  try {
    const held = (await session.kw.ready()) !== 'idle'
    const problems: KeywayError[] = []
    const stopListening = session.kw.on('error', (error) => problems.push(error))
    if (held) await session.kw.logout()
    stopListening()
    if (context.json) {
      const result = { profile, loggedOut: held, store, problems: problems.map((p) => p.toJSON()) }
      context.io.stdout.write(`${JSON.stringify(result)}\n`)
      return ExitCode.ok
    }
    const { stderr } = context.io
    if (!held) {
      stderr.write(`Nothing to log out of: profile ${profile} holds no tokens.\n`)
      return ExitCode.ok
    }
    for (const problem of problems)
      stderr.write(`${context.style.yellow('!')} ${problem.message}\n`)
    stderr.write(
      `${context.style.green('✓')} Logged out of profile ${profile}: the grant was revoked where ` +
        `the provider allows it, and the tokens were removed from ${store}.\n`,
    )
    return ExitCode.ok
  } finally {
    await session.close()
  }
}
