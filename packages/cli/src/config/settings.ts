import { configError, KeywayError, KeywayErrorCodes } from '@keyway/core'
import { getProvider, type ProviderName } from '@keyway/providers'
import { DEFAULT_STORE, parseStoreSpec, type StoreSpec } from '../store/store-spec.js'
import type { SavedProfile } from './profile.js'
import type { Source, Sourced } from './source.js'

/**
 * The settings as the command line and the environment gave them (commander applies
 * flag > `KEYWAY_*` variable), before the profile and the defaults fill the gaps.
 */
export interface GivenSettings {
  readonly provider?: Sourced<string>
  readonly issuer?: Sourced<string>
  readonly tenant?: Sourced<string>
  readonly clientId?: Sourced<string>
  readonly clientSecret?: Sourced<string>
  /** Space-separated, as `--scope "a b"` takes them. */
  readonly scope?: Sourced<string>
  /** Space-separated resource indicators, as `--resource "a b"` takes them. */
  readonly resource?: Sourced<string>
  readonly store?: Sourced<string>
  readonly port?: Sourced<string>
  /** `--dpop`, `--no-dpop` or `KEYWAY_DPOP`. */
  readonly dpop?: Sourced<boolean>
}

/** Everything a command needs to know about the profile, each value with its source. */
export interface Settings {
  readonly profile: Sourced<string>
  /** The profile as saved in the config file; undefined when it is not there. */
  readonly saved: SavedProfile | undefined
  readonly provider: Sourced<ProviderName>
  readonly issuer?: Sourced<string>
  readonly tenant?: Sourced<string>
  readonly clientId: Sourced<string>
  readonly clientSecret?: Sourced<string>
  readonly scopes: Sourced<readonly string[]>
  /** The resource indicators (RFC 8707) asked for, when any. */
  readonly resources?: Sourced<readonly string[]>
  readonly store: Sourced<StoreSpec>
  readonly port?: Sourced<number>
  /** Whether a login binds the grant to a DPoP key (RFC 9449), when given or saved. */
  readonly dpop?: Sourced<boolean>
}

/** What {@link resolveSettings} works from. */
export interface SettingsInput {
  readonly given: GivenSettings
  readonly profile: Sourced<string>
  readonly saved: SavedProfile | undefined
  /** The config file the profile lives in, to name as a source. */
  readonly file: string
}

const noProfileErrors = new WeakSet<KeywayError>()

/** Thrown when a command finds neither a saved profile nor the settings to log in with. */
export function noProfileError(profile: string, file: string): KeywayError {
  const error = new KeywayError(
    KeywayErrorCodes.loginRequired,
    `There is no profile ${profile} in ${file} yet, and no settings were given. Log in first.`,
  )
  noProfileErrors.add(error)
  return error
}

/** True for the error of {@link noProfileError}: the login must name a provider and a client. */
export function isNoProfileError(error: unknown): boolean {
  return error instanceof KeywayError && noProfileErrors.has(error)
}

function pick<T>(
  given: Sourced<T> | undefined,
  saved: T | undefined,
  from: Source,
): Sourced<T> | undefined {
  if (given !== undefined) return given
  return saved === undefined ? undefined : { value: saved, source: from }
}

function splitScopes(text: string): readonly string[] {
  return [...new Set(text.split(/\s+/).filter((scope) => scope !== ''))]
}

function parsePort({ value, source }: Sourced<string>): Sourced<number> {
  const port = Number(value)
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw configError(`The port ${JSON.stringify(value)} is not a whole number from 0 to 65535.`)
  }
  return { value: port, source }
}

/**
 * The provider and the issuer are one choice: the first place that names either (the command
 * line and environment, else the profile) decides both, so a profile's issuer never sticks
 * to a `--provider spotify` given on the command line.
 */
function providerChoice(input: SettingsInput, fromProfile: Source) {
  const { given, saved } = input
  if (given.provider !== undefined || given.issuer !== undefined) {
    return { provider: given.provider, issuer: given.issuer }
  }
  return {
    provider: pick(undefined, saved?.provider, fromProfile),
    issuer: pick(undefined, saved?.issuer, fromProfile),
  }
}

function resolveProvider(
  provider: Sourced<string> | undefined,
  issuer: Sourced<string> | undefined,
): Sourced<ProviderName> | undefined {
  if (provider === undefined) {
    return issuer === undefined
      ? undefined
      : { value: 'generic', source: { kind: 'default', detail: 'an issuer was given' } }
  }
  const preset = getProvider(provider.value)
  if (preset.name !== 'generic' && issuer !== undefined) {
    throw configError(
      `An issuer goes with the generic provider, not with ${preset.name}: drop --issuer, or use --provider generic.`,
    )
  }
  if (preset.name === 'generic' && issuer === undefined) {
    throw configError('The generic provider needs an issuer: give --issuer URL.')
  }
  return { value: preset.name, source: provider.source }
}

/**
 * Settles every setting by precedence: command-line flag, then `KEYWAY_*` variable, then the
 * saved profile, then the default. Fails with `config_error` when the provider or the client
 * id is known nowhere, or a value is wrong; with `login_required` when there is no profile and
 * nothing was given.
 */
export function resolveSettings(input: SettingsInput): Settings {
  const { given, saved, profile } = input
  const fromProfile: Source = { kind: 'profile', profile: profile.value, file: input.file }
  if (saved === undefined && Object.values(given).every((value) => value === undefined)) {
    throw noProfileError(profile.value, input.file)
  }
  const choice = providerChoice(input, fromProfile)
  const provider = resolveProvider(choice.provider, choice.issuer)
  if (provider === undefined) {
    throw configError('No provider: give --provider NAME or --issuer URL (or KEYWAY_PROVIDER).')
  }
  const clientId = pick(given.clientId, saved?.clientId, fromProfile)
  if (clientId === undefined) {
    throw configError('No client id: give --client-id ID (or KEYWAY_CLIENT_ID).')
  }
  const scopeText = given.scope
  const scopes: Sourced<readonly string[]> = scopeText
    ? { value: splitScopes(scopeText.value), source: scopeText.source }
    : (pick(undefined, saved?.scopes, fromProfile) ?? {
        value: getProvider(provider.value).defaultScopes,
        source: { kind: 'default', detail: `the ${provider.value} preset's` },
      })
  const storeText = pick(given.store, saved?.store, fromProfile) ?? {
    value: DEFAULT_STORE,
    source: { kind: 'default' },
  }
  const port = given.port ? parsePort(given.port) : pick(undefined, saved?.port, fromProfile)
  const resources = given.resource
    ? { value: splitScopes(given.resource.value), source: given.resource.source }
    : pick(undefined, saved?.resources, fromProfile)
  const optional = {
    issuer: choice.issuer,
    resources,
    tenant: pick(given.tenant, saved?.tenant, fromProfile),
    clientSecret: pick(given.clientSecret, saved?.clientSecret, fromProfile),
    port,
    dpop: pick(given.dpop, saved?.dpop, fromProfile),
  }
  return {
    profile,
    saved,
    provider,
    clientId,
    scopes,
    store: { value: parseStoreSpec(storeText.value), source: storeText.source },
    ...(Object.fromEntries(
      Object.entries(optional).filter(([, value]) => value !== undefined),
    ) as Partial<Settings>),
  }
}
