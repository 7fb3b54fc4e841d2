import type { TokenSet } from '@keyway/core'
import type { Settings } from '../config/settings.js'
import { describeSource } from '../config/source.js'
import { describeIdentity, grantState, identityOf } from '../grant.js'
import { readStoredTokens } from '../session.js'
import { type OpenedStore, openStore } from '../store/open-store.js'
import { storeProblem, tryStore } from '../store/store-health.js'
import { describeStore } from '../store/store-spec.js'
import { expiryPhrase } from '../ui/time.js'
import { type CheckResult, check } from './check.js'

/** Which store is in use and why: what `auto` found, or who named the store. */
function whyThisStore(settings: Settings, opened: OpenedStore): string {
  const from = describeSource(settings.store.source)
  if (opened.auto === undefined) return `in use because ${from} names it`
  const used = opened.auto.fellBack ? 'the private file (0600) is used' : 'it is used'
  return `chosen by --store auto (from ${from}): ${opened.auto.reason}, so ${used}`
}

/**
 * Tries the store as a login would (read, write, delete a record that holds no secret), so a
 * missing or locked keychain, an unreachable Redis or an unwritable folder shows before any
 * login; then reads the profile's tokens for the grant check.
 */
export async function checkStore(
  settings: Settings,
  configDir: string,
): Promise<{ readonly result: CheckResult; readonly tokens?: TokenSet | undefined }> {
  const asked = settings.store.value
  let opened: OpenedStore
  try {
    opened = await openStore(asked, configDir)
  } catch (error) {
    const problem = storeProblem(asked, error)
    const name = describeStore(asked, configDir)
    return { result: check('store', 'fail', `${name}: ${problem.summary}`, [problem.advice]) }
  }
  const { spec } = opened
  const name = describeStore(spec, configDir)
  const why = whyThisStore(settings, opened)
  try {
    await tryStore(opened.store)
    const tokens = await readStoredTokens(settings, opened.store)
    const plaintext =
      spec.kind === 'file' ? ['tokens are kept in plaintext, readable by you only'] : []
    return {
      result: check('store', 'ok', `${name}: reads and writes`, [why, ...plaintext]),
      tokens,
    }
  } catch (error) {
    const problem = storeProblem(spec, error)
    return { result: check('store', 'fail', `${name}: ${problem.summary}`, [why, problem.advice]) }
  } finally {
    await opened.close()
  }
}

/** Whether the profile holds a usable grant, and whose. */
export function checkGrant(tokens: TokenSet | undefined, loginCommand: string): CheckResult {
  const now = Date.now()
  const who = describeIdentity(identityOf(tokens)) ?? 'someone (no ID token)'
  switch (grantState(tokens, now)) {
    case 'valid':
      return check(
        'grant',
        'ok',
        `logged in as ${who}; the token expires ${expiryPhrase(tokens?.expiresAt, now)}`,
      )
    case 'refreshable':
      return check('grant', 'ok', `logged in as ${who}; the token expired and will be refreshed`)
    case 'expired':
      return check('grant', 'warn', `the grant expired: run ${loginCommand}`)
    case 'none':
      return check('grant', 'warn', `not logged in: run ${loginCommand}`)
  }
}
