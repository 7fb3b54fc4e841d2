import { defaultFetch } from '@keyway/core'
import type { CommandContext } from '../context.js'
import { checkBrowser } from '../doctor/browser-check.js'
import { type CheckResult, checksText, skipped } from '../doctor/check.js'
import { checkClock } from '../doctor/clock-check.js'
import { checkConfig } from '../doctor/config-check.js'
import { checkProvider } from '../doctor/provider-check.js'
import { checkGrant, checkStore } from '../doctor/store-check.js'
import { ExitCode } from '../exit-codes.js'
import { loginCommand } from '../failure.js'

/** Runs the checks in order; those that need what a failed one gives are skipped. */
async function runChecks(context: CommandContext): Promise<CheckResult[]> {
  const config = await checkConfig(context)
  const settings = config.settings
  if (settings === undefined) {
    const because = 'skipped: the config check failed'
    return [
      config.result,
      ...['provider', 'clock', 'store', 'grant'].map((name) => skipped(name, because)),
      checkBrowser(context.io.env),
    ]
  }
  const fetch = (await context.fetch()) ?? defaultFetch(context.io.env)
  const [provider, store] = await Promise.all([
    checkProvider(settings, fetch, context.signal),
    checkStore(settings, context.configDir),
  ])
  const grant =
    store.result.status === 'fail'
      ? skipped('grant', 'skipped: the store check failed')
      : checkGrant(store.tokens, loginCommand(context))
  return [
    config.result,
    provider.result,
    checkClock(provider.time),
    store.result,
    grant,
    checkBrowser(context.io.env),
  ]
}

/**
 * `keyway doctor`: checks the config and the profile's settings, the provider's discovery
 * document (or endpoints), this machine's clock against the provider's `Date` header, the
 * store (a missing or locked keychain shows here, before any login), the stored grant, and
 * whether a browser can open. The report masks every secret. Exits with 1 when a check fails.
 */
export async function runDoctor(context: CommandContext): Promise<ExitCode> {
  const results = await runChecks(context)
  const failed = results.filter((result) => result.status === 'fail').length
  if (context.json) {
    context.io.stdout.write(`${JSON.stringify({ ok: failed === 0, checks: results })}\n`)
  } else {
    const verdict =
      failed === 0
        ? 'No problem found.'
        : `${failed} ${failed === 1 ? 'problem' : 'problems'} found.`
    context.io.stdout.write(`${checksText(results, context.outStyle)}\n\n${verdict}\n`)
  }
  return failed === 0 ? ExitCode.ok : ExitCode.error
}
