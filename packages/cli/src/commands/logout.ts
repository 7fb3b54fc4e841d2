import type { KeywayError } from '@keyway/core'
import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { openSession } from '../session.js'
import { describeStore } from '../store/store-spec.js'

/**
 * `keyway logout`: revokes the grant at the provider (RFC 7009) where it has a revocation
 * endpoint, and removes the tokens from the store. The profile stays, so `keyway login` logs
 * in again with the same settings. A refused revocation is told, not hidden: the tokens are
 * removed from this machine all the same.
 */
export async function runLogout(context: CommandContext): Promise<ExitCode> {
  const settings = await context.settings()
  const session = await openSession(settings, context.configDir, { fetch: await context.fetch() })
  const profile = settings.profile.value
  const store = describeStore(settings.store.value, context.configDir)
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
      stderr.write(`Nothing to log out: profile ${profile} holds no tokens.\n`)
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
