import { configError, type TokenSet } from '@keyway/core'
import { profileIn, saveProfile } from '../config/config-file.js'
import { profileToSave } from '../config/profile-to-save.js'
import type { Settings } from '../config/settings.js'
import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { describeIdentity, identityOf } from '../grant.js'
import { openSession, tellStoreNotice } from '../session.js'
import { describeStore } from '../store/store-spec.js'
import { chooseTransport, type LoginFlow } from '../transport/choose-transport.js'
import { startWaiting } from '../ui/spinner.js'
import { table } from '../ui/table.js'
import { expiryPhrase, isoSeconds } from '../ui/time.js'
import { grantedScopes } from './token-output.js'

/** The options of `keyway login`. */
export interface LoginCommandOptions {
  /** True for `--browser`, false for `--no-browser`. */
  readonly browser?: boolean
  readonly paste?: boolean
  readonly device?: boolean
  /** Seconds before the login gives up. */
  readonly timeout: string
}

function chosenFlow(options: LoginCommandOptions): LoginFlow {
  const asked: LoginFlow[] = []
  if (options.device === true) asked.push('device')
  if (options.paste === true) asked.push('paste')
  if (options.browser === true) asked.push('browser')
  if (options.browser === false) asked.push('noBrowser')
  if (asked.length > 1) {
    throw configError('Choose one of --browser, --no-browser, --paste and --device.')
  }
  return asked[0] ?? 'auto'
}

function timeoutMs(text: string): number {
  const seconds = Number(text)
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw configError(`--timeout takes a positive number of seconds, not ${JSON.stringify(text)}.`)
  }
  return seconds * 1000
}

/** Settles the settings; with no profile and nothing given, says what login needs. */
async function loginSettings(context: CommandContext): Promise<Settings> {
  const saved = profileIn(await context.config(), context.profile.value)
  if (saved === undefined && Object.values(context.given).every((given) => !given)) {
    throw configError(
      `There is no profile ${context.profile.value} yet: say which provider and client, ` +
        'e.g. keyway login --issuer URL --client-id ID (or --provider NAME --client-id ID).',
    )
  }
  return context.settings()
}

function report(context: CommandContext, settings: Settings, tokens: TokenSet): void {
  const now = Date.now()
  const identity = identityOf(tokens)
  const scopes = grantedScopes(tokens, settings.scopes.value)
  const store = describeStore(settings.store.value, context.configDir)
  const profile = settings.profile.value
  if (context.json) {
    const result = {
      profile,
      configFile: context.configFile,
      ...identity,
      scopes,
      expiresAt: tokens.expiresAt === undefined ? null : isoSeconds(tokens.expiresAt),
      store,
    }
    context.io.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  const { green, dim } = context.style
  const who = describeIdentity(identity)
  const rows = [
    { label: 'profile', value: `${profile}, saved in ${context.configFile}` },
    { label: 'scopes', value: scopes.join(' ') || '(none)' },
    { label: 'expires', value: expiryPhrase(tokens.expiresAt, now) },
    { label: 'tokens', value: store },
  ]
  const headline = who === undefined ? 'Logged in.' : `Logged in as ${who}.`
  const indented = table(rows, dim).replace(/^(?=.)/gm, '  ')
  context.io.stderr.write(`${green('✓')} ${headline}\n${indented}`)
}

/**
 * `keyway login`: logs in through the chosen transport, saves the tokens in the store, and
 * saves the profile (provider or issuer, client, scopes, and the store the tokens went to) in
 * the config file. The store is tried before the login starts, so a locked keychain is found
 * before the person signs in.
 * Ctrl-C or `--timeout` cancel it (exit 2).
 */
export async function runLogin(
  context: CommandContext,
  options: LoginCommandOptions,
): Promise<ExitCode> {
  const flow = chosenFlow(options)
  const timeout = timeoutMs(options.timeout)
  const settings = await loginSettings(context)
  const chosen = await chooseTransport(context, settings, flow)
  const session = await openSession(context, settings, {
    transport: chosen.transport,
    fetch: await context.fetch(),
    checkStore: true,
    holdStoreNotice: true,
    ...(settings.dpop?.value === true ? { dpop: true } : {}),
  })
  try {
    if (chosen.note !== undefined) context.io.stderr.write(`${chosen.note}\n`)
    const waiting = chosen.readsInput
      ? undefined
      : await startWaiting(context.io.stderr, chosen.waitingFor)
    const tokens = await session.kw
      .login({ signal: context.signal, timeout })
      .finally(() => waiting?.stop())
    // The profile keeps the store its tokens went to: what `auto` chose stays chosen.
    const used = { ...settings, store: { ...settings.store, value: session.storeSpec } }
    await saveProfile(context.configFile, settings.profile.value, profileToSave(used))
    report(context, used, tokens)
    tellStoreNotice(context, session.storeNotice)
    return ExitCode.ok
  } finally {
    await session.close()
    // Paste pauses the input between reads, but a paused pipe still holds the process open:
    // the login is over and nothing reads the input again, so let go of it.
    if (chosen.readsInput) context.io.stdin.destroy()
  }
}
