import type { TokenCommandOptions } from '../commands/token-options.js'
import { flagOf, settingOptions } from '../config/setting-options.js'
import type { GivenSettings } from '../config/settings.js'
import type { Sourced } from '../config/source.js'
import type { CommonOptions } from '../context.js'

/** A `keyway token` command line, read without commander. */
export interface TokenCommandLine {
  readonly common: CommonOptions
  readonly token: TokenCommandOptions
}

/** The options that take a value, anywhere on the line, and their `KEYWAY_*` variable. */
const globalValues = new Map<string, { readonly key: string; readonly env: string }>([
  ['--profile', { key: 'profile', env: 'KEYWAY_PROFILE' }],
  ...settingOptions.map((o) => [flagOf(o), { key: o.key, env: o.env }] as const),
])

/** The switches of `keyway token` itself, which commander takes only after `token`. */
const tokenSwitches = new Map([
  ['--header', 'header'],
  ['--env', 'env'],
  ['--force-refresh', 'forceRefresh'],
])

/** What the line has given so far, each key once. */
type Found = Map<string, string | true>

/** Records `key` once: a repeated option is left to commander, which has its own rule. */
function give(found: Found, key: string, value: string | true): boolean {
  if (found.has(key)) return false
  found.set(key, value)
  return true
}

/**
 * Reads one option at `argv[at]` into `found`; resolves with how many words it took, or 0
 * for anything this reader does not know for sure.
 */
function readOption(argv: readonly string[], at: number, afterToken: boolean, found: Found) {
  const word = argv[at]!
  const equals = word.indexOf('=')
  const name = equals === -1 ? word : word.slice(0, equals)
  const valued =
    globalValues.get(name) ?? (afterToken && name === '--min-ttl' ? { key: 'minTtl' } : undefined)
  if (valued !== undefined) {
    const value = equals === -1 ? argv[at + 1] : word.slice(equals + 1)
    // A value that looks like an option is commander's to judge.
    if (value === undefined || value.startsWith('-')) return 0
    return give(found, valued.key, value) ? (equals === -1 ? 2 : 1) : 0
  }
  if (equals !== -1) return 0
  if (word === '--json' || word === '--no-input') return give(found, word, true) ? 1 : 0
  const own = afterToken ? tokenSwitches.get(word) : undefined
  return own !== undefined && give(found, own, true) ? 1 : 0
}

/** A value from the line, else from its variable, with its source as commander reports it. */
function sourced(
  found: Found,
  env: Readonly<Record<string, string | undefined>>,
  key: string,
  flag: string,
  variable: string,
): Sourced<string> | undefined {
  const given = found.get(key)
  if (typeof given === 'string') return { value: given, source: { kind: 'flag', flag } }
  const value = env[variable]
  return value === undefined ? undefined : { value, source: { kind: 'env', variable } }
}

/**
 * Reads `argv` when it is a `keyway token` command line made only of options this reader
 * knows as commander reads them: `--profile`, the settings' flags (`--issuer`, `--store`…),
 * `--json`, `--no-input`, and after `token` its own `--min-ttl`, `--header`, `--env` and
 * `--force-refresh`; each once, values given as `--flag value` or `--flag=value`. Settings
 * not on the line come from their `KEYWAY_*` variable in `env`, as commander takes them.
 * Anything else (another command, `--help`, `--verbose`, an unknown or repeated option, a
 * stray word) gives undefined: the full command line is then the one to read it.
 */
export function readTokenCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TokenCommandLine | undefined {
  const found: Found = new Map()
  let afterToken = false
  for (let at = 0; at < argv.length; ) {
    if (!afterToken && argv[at] === 'token') {
      afterToken = true
      at += 1
      continue
    }
    const taken = argv[at]!.startsWith('--') ? readOption(argv, at, afterToken, found) : 0
    if (taken === 0) return undefined
    at += taken
  }
  if (!afterToken) return undefined
  const given: Record<string, Sourced<string>> = {}
  for (const option of settingOptions) {
    const value = sourced(found, env, option.key, flagOf(option), option.env)
    if (value !== undefined) given[option.key] = value
  }
  const profile = sourced(found, env, 'profile', '--profile', 'KEYWAY_PROFILE')
  const minTtl = found.get('minTtl')
  return {
    common: {
      ...(profile === undefined ? {} : { profile }),
      json: found.has('--json'),
      verbose: false,
      input: !found.has('--no-input'),
      given: given as GivenSettings,
    },
    token: {
      ...(typeof minTtl === 'string' ? { minTtl } : {}),
      forceRefresh: found.has('forceRefresh'),
      header: found.has('header'),
      env: found.has('env'),
    },
  }
}
