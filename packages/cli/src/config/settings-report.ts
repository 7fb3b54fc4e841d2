import { getProvider } from '@keyway/providers'
import { MASK } from '../mask.js'
import { describeStore } from '../store/store-spec.js'
import type { Settings } from './settings.js'
import { describeSource, type Sourced } from './source.js'

/** One setting for a report: its label, its value (secrets masked) and its source. */
export interface SettingLine {
  /** The field's name in `--json` output. */
  readonly key: string
  readonly label: string
  readonly value: string
  readonly source: string
}

function line<T>(
  key: string,
  label: string,
  setting: Sourced<T> | undefined,
  show: (value: T) => string,
): SettingLine[] {
  if (setting === undefined) return []
  return [{ key, label, value: show(setting.value), source: describeSource(setting.source) }]
}

/**
 * The settings as `status` and `doctor` show them, each with where it came from. The client
 * secret is only said to be set, and a Redis password is masked.
 */
export function settingLines(settings: Settings, configDir: string): SettingLine[] {
  const preset = getProvider(settings.provider.value)
  return [
    ...line('profile', 'profile', settings.profile, String),
    ...line(
      'provider',
      'provider',
      settings.provider,
      () => `${preset.name} (${preset.displayName})`,
    ),
    ...line('issuer', 'issuer', settings.issuer, String),
    ...line('tenant', 'tenant', settings.tenant, String),
    ...line('clientId', 'client id', settings.clientId, String),
    ...line('clientSecret', 'client secret', settings.clientSecret, () => `${MASK} (set)`),
    ...line('scopes', 'scopes', settings.scopes, (scopes) => scopes.join(' ') || '(none)'),
    ...line('resources', 'resources', settings.resources, (resources) => resources.join(' ')),
    ...line('store', 'store', settings.store, (spec) => describeStore(spec, configDir)),
    ...line('port', 'port', settings.port, String),
    ...line('dpop', 'DPoP', settings.dpop, (bound) => (bound ? 'on' : 'off')),
  ]
}
