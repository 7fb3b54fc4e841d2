import { defaultFetch, type Fetch } from '@keyway/core'
import { configDirectory, configFilePath } from './config/config-dir.js'
import { type ConfigFile, profileIn, readConfigFile } from './config/config-file.js'
import { type GivenSettings, resolveSettings, type Settings } from './config/settings.js'
import type { Sourced } from './config/source.js'
import { switchVariable } from './config/switch-variable.js'
import type { CliIo } from './io.js'
import { traceWriter } from './trace/trace-target.js'
import { type Style, styleFor } from './ui/style.js'

/** The options every command takes, as read from the command line and the environment. */
export interface CommonOptions {
  /** The profile's name, when given by `--profile` or `KEYWAY_PROFILE`. */
  readonly profile?: Sourced<string>
  /** `--json`: the result as JSON on stdout. */
  readonly json: boolean
  /** `--verbose`: trace each HTTP step on stderr. */
  readonly verbose: boolean
  /** False for `--no-input`. */
  readonly input: boolean
  /** The provider, client, scopes and store given on the command line or by `KEYWAY_*`. */
  readonly given: GivenSettings
}

/** What a command runs with: where to write, how, and the settings of the profile. */
export interface CommandContext {
  readonly io: CliIo
  /** Marks text up for stderr (plain when it is not a terminal, or with `NO_COLOR`). */
  readonly style: Style
  /** Marks text up for stdout, on the same terms. */
  readonly outStyle: Style
  readonly json: boolean
  /** False when prompts are forbidden: `--no-input` or `KEYWAY_INTERACTIVE=0`. */
  readonly interactive: boolean
  readonly verbose: boolean
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal
  readonly configDir: string
  readonly configFile: string
  readonly profile: Sourced<string>
  readonly given: GivenSettings
  /** Reads the config file (once). */
  config(): Promise<ConfigFile>
  /** Settles the settings by precedence (see `resolveSettings`). */
  settings(): Promise<Settings>
  /** The `fetch` for protocol requests: traced with `--verbose` or `KEYWAY_TRACE`, else none. */
  fetch(): Promise<Fetch | undefined>
}

/** Builds the context of one command run. */
export function commandContext(io: CliIo, options: CommonOptions): CommandContext {
  const configDir = configDirectory(io.env)
  const configFile = configFilePath(configDir)
  const profile = options.profile ?? { value: 'default', source: { kind: 'default' } }
  let config: Promise<ConfigFile> | undefined
  // Made on first use: each reads its stream, which Node builds when first read.
  let style: Style | undefined
  let outStyle: Style | undefined
  const context: CommandContext = {
    io,
    get style() {
      style ??= styleFor(io.stderr, io.env)
      return style
    },
    get outStyle() {
      outStyle ??= styleFor(io.stdout, io.env)
      return outStyle
    },
    json: options.json,
    interactive: options.input && switchVariable(io.env.KEYWAY_INTERACTIVE) !== false,
    verbose: options.verbose,
    signal: io.signal ?? new AbortController().signal,
    configDir,
    configFile,
    profile,
    given: options.given,
    config() {
      config ??= readConfigFile(configFile)
      return config
    },
    async settings() {
      const file = await context.config()
      const saved = profileIn(file, profile.value)
      return resolveSettings({ given: options.given, profile, saved, file: configFile })
    },
    async fetch() {
      const write = traceWriter(options.verbose, io.env, () => io.stderr)
      if (write === undefined) return undefined
      const { traceFetch } = await import('./trace/trace-fetch.js')
      return traceFetch(defaultFetch(io.env), { write })
    },
  }
  return context
}
