import { settingLines } from '../config/settings-report.js'
import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { loginCommand } from '../failure.js'
import { describeIdentity, type GrantState, grantState, identityOf } from '../grant.js'
import { openProfileStore, readStoredTokens } from '../session.js'
import { describeStore } from '../store/store-spec.js'
import { table } from '../ui/table.js'
import { expiryPhrase, isoSeconds } from '../ui/time.js'
import { grantedScopes } from './token-output.js'

const grantWords: Record<GrantState, string> = {
  valid: 'valid',
  refreshable: 'expired; keyway token will refresh it',
  expired: 'expired, and it cannot be refreshed: log in again',
  none: 'none: not logged in',
}

/**
 * `keyway status`: who is logged in, the scopes, the expiry, the store, and where each
 * setting and the token come from. It only reads: nothing is refreshed, and no token, code
 * or secret is printed. Exits with 4 when a login is needed.
 */
export async function runStatus(context: CommandContext): Promise<ExitCode> {
  const settings = await context.settings()
  const opened = await openProfileStore(context, settings)
  const tokens = await readStoredTokens(settings, opened.store).finally(() => opened.close())
  const now = Date.now()
  const state = grantState(tokens, now)
  const identity = identityOf(tokens)
  const lines = settingLines(settings, context.configDir)
  const store = describeStore(opened.spec, context.configDir)
  const usable = state === 'valid' || state === 'refreshable'
  if (context.json) {
    const report = {
      profile: settings.profile.value,
      configFile: context.configFile,
      settings: Object.fromEntries(lines.map((l) => [l.key, { value: l.value, source: l.source }])),
      grant: state,
      ...identity,
      ...(tokens === undefined
        ? {}
        : {
            scopes: grantedScopes(tokens, settings.scopes.value),
            expiresAt: tokens.expiresAt === undefined ? null : isoSeconds(tokens.expiresAt),
            refreshToken: tokens.refreshToken !== undefined,
            idToken: tokens.idToken !== undefined,
            tokenFrom: store,
          }),
      ...(usable ? {} : { loginCommand: loginCommand(context) }),
    }
    context.io.stdout.write(`${JSON.stringify(report)}\n`)
  } else {
    const { dim } = context.outStyle
    const rows = [
      ...lines.map((l) => ({ label: l.label, value: l.value, note: `from ${l.source}` })),
      { label: 'config file', value: context.configFile },
    ]
    const who = describeIdentity(identity)
    const grant = [
      { label: 'logged in as', value: who ?? (tokens ? 'unknown (no ID token)' : '-') },
      { label: 'grant', value: grantWords[state] },
      ...(tokens === undefined
        ? []
        : [
            { label: 'access token', value: `expires ${expiryPhrase(tokens.expiresAt, now)}` },
            { label: 'granted', value: grantedScopes(tokens, settings.scopes.value).join(' ') },
            { label: 'refresh token', value: tokens.refreshToken === undefined ? 'no' : 'yes' },
            { label: 'token from', value: store },
          ]),
    ]
    const out = `${table(rows, dim)}\n${table(grant, dim)}`
    context.io.stdout.write(out)
    if (!usable) context.io.stderr.write(`Run: ${context.style.bold(loginCommand(context))}\n`)
  }
  return usable ? ExitCode.ok : ExitCode.loginRequired
}
