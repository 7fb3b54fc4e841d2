import { flagOf, settingOptions } from '../config/setting-options.js'
import type { GivenSettings } from '../config/settings.js'
import type { Sourced } from '../config/source.js'
import type { CommonOptions } from '../context.js'

/** What a command served from the store takes after its name, as commander declares it. */
export interface OwnOptions {
  /** The command's name: `token`, `kubectl-credential`, `git-credential`. */
  readonly name: string
  /** Its switches, each with the key it is read into. */
  readonly switches: ReadonlyMap<string, string>
  /** Its options that take a value, each with the key it is read into. */
  readonly values: ReadonlyMap<string, string>
  /** The words it takes as its one argument (git-credential's `get`, `store`, `erase`). */
  readonly actions?: ReadonlySet<string>
}

/** A command line read without commander: the common options, the command's own, its argument. */
export interface CommandLine {
  readonly common: CommonOptions
  /** The command's own options by key: a switch as `true`, a value as given. */
  readonly own: ReadonlyMap<string, string | true>
  /** The command's argument, when it takes one. */
  readonly action?: string
}

/** The value `line` gave the command's own option `key` (one of its `values`), if any. */
export function ownValue(line: CommandLine, key: string): string | undefined {
  const value = line.own.get(key)
  return typeof value === 'string' ? value : undefined
}

/** The options that take a value, anywhere on the line, and their `KEYWAY_*` variable. */
const globalValues = new Map<string, { readonly key: string; readonly env: string }>([
  ['--profile', { key: 'profile', env: 'KEYWAY_PROFILE' }],
  ...settingOptions.map((o) => [flagOf(o), { key: o.key, env: o.env }] as const),
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
 * Reads one option at `argv[at]` into `found` (the command's own into `own`); resolves with
 * how many words it took, or 0 for anything this reader does not know for sure.
 */
function readOption(
  argv: readonly string[],
  at: number,
  command: OwnOptions | undefined,
  found: Found,
  own: Found,
) {
  const word = argv[at]!
  const equals = word.indexOf('=')
  const name = equals === -1 ? word : word.slice(0, equals)
  const global = globalValues.get(name)
  const ownValue = command?.values.get(name)
  if (global !== undefined || ownValue !== undefined) {
    const value = equals === -1 ? argv[at + 1] : word.slice(equals + 1)
    // A value that looks like an option is commander's to judge.
    if (value === undefined || value.startsWith('-')) return 0
    const given =
      global === undefined ? give(own, ownValue!, value) : give(found, global.key, value)
    return given ? (equals === -1 ? 2 : 1) : 0
  }
  if (equals !== -1) return 0
  if (word === '--json' || word === '--no-input') return give(found, word, true) ? 1 : 0
  const ownSwitch = command?.switches.get(word)
  return ownSwitch !== undefined && give(own, ownSwitch, true) ? 1 : 0
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

/** The common options from what the line gave, settings not on it from their variables. */
function commonOf(found: Found, env: Readonly<Record<string, string | undefined>>) {
  const given: Record<string, Sourced<string>> = {}
  for (const option of settingOptions) {
    const value = sourced(found, env, option.key, flagOf(option), option.env)
    if (value !== undefined) given[option.key] = value
  }
  const profile = sourced(found, env, 'profile', '--profile', 'KEYWAY_PROFILE')
  return {
    ...(profile === undefined ? {} : { profile }),
    json: found.has('--json'),
    verbose: false,
    input: !found.has('--no-input'),
    given: given as GivenSettings,
  } satisfies CommonOptions
}

/**
 * Reads `argv` when it is a command line of `command` made only of options this reader knows
 * as commander reads them: `--profile`, the settings' flags (`--issuer`, `--store`…), `--json`,
 * `--no-input`, and after the command's name its own options and its one argument; each
 * once, values given as `--flag value` or `--flag=value`. Settings not on the line come from
 * their `KEYWAY_*` variable in `env`, as commander takes them. Anything else (another
 * command, `--help`, `--verbose`, an unknown or repeated option, a stray word) gives
 * undefined: the full command line is then the one to read it.
 */
export function readCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  command: OwnOptions,
): CommandLine | undefined {
  const found: Found = new Map()
  const own: Found = new Map()
  let after = false
  let action: string | undefined
  for (let at = 0; at < argv.length; ) {
    const word = argv[at]!
    if (!after && word === command.name) {
      after = true
      at += 1
      continue
    }
    if (after && action === undefined && command.actions?.has(word) === true) {
      action = word
      at += 1
      continue
    }
    const taken = word.startsWith('--')
      ? readOption(argv, at, after ? command : undefined, found, own)
      : 0
    if (taken === 0) return undefined
    at += taken
  }
  if (!after || (command.actions !== undefined && action === undefined)) return undefined
  return { common: commonOf(found, env), own, ...(action === undefined ? {} : { action }) }
}
