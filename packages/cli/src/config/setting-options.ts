import type { GivenSettings } from './settings.js'
import type { Sourced } from './source.js'
import { switchVariable } from './switch-variable.js'

/** One setting's command-line flag and `KEYWAY_*` variable. */
export interface SettingOption {
  readonly key: Exclude<keyof GivenSettings, 'dpop'>
  /** The flag and its argument, as commander takes it: `--client-id <id>`. */
  readonly flags: string
  readonly env: string
  readonly description: string
  /** True for values never to be echoed (the client secret). */
  readonly secret?: boolean
}

/**
 * The settings every command takes, in the order `--help` lists them. Each may also come
 * from its variable or the saved profile: flag > variable > profile > default.
 */
export const settingOptions: readonly SettingOption[] = [
  {
    key: 'provider',
    flags: '--provider <name>',
    env: 'KEYWAY_PROVIDER',
    description: 'provider preset: spotify, github, google, microsoft or generic',
  },
  {
    key: 'issuer',
    flags: '--issuer <url>',
    env: 'KEYWAY_ISSUER',
    description: 'OpenID Connect issuer, for discovery (implies --provider generic)',
  },
  {
    key: 'tenant',
    flags: '--tenant <tenant>',
    env: 'KEYWAY_TENANT',
    description: 'Microsoft Entra directory: an id, a domain, common, organizations or consumers',
  },
  {
    key: 'clientId',
    flags: '--client-id <id>',
    env: 'KEYWAY_CLIENT_ID',
    description: 'OAuth client id',
  },
  {
    key: 'clientSecret',
    flags: '--client-secret <secret>',
    env: 'KEYWAY_CLIENT_SECRET',
    description:
      'client secret, for clients that have one (saved by login only when given as a flag)',
    secret: true,
  },
  {
    key: 'scope',
    flags: '--scope <scopes>',
    env: 'KEYWAY_SCOPE',
    description: 'scopes to ask for, space-separated: "openid offline_access"',
  },
  {
    key: 'resource',
    flags: '--resource <uris>',
    env: 'KEYWAY_RESOURCE',
    description:
      'resource server(s) the tokens are for, space-separated URIs (RFC 8707; generic provider)',
  },
  {
    key: 'store',
    flags: '--store <store>',
    env: 'KEYWAY_STORE',
    description:
      'where tokens are kept: auto (default: the keychain, else a 0600 file), keychain, file, or a redis:// URL',
  },
  {
    key: 'port',
    flags: '--port <port>',
    env: 'KEYWAY_PORT',
    description: 'fixed loopback port of the redirect URI, for providers that need one',
  },
]

/** The switch that binds a login's grant to a DPoP key, its negation and its variable. */
export const dpopOption = {
  key: 'dpop',
  flag: '--dpop',
  negation: '--no-dpop',
  env: 'KEYWAY_DPOP',
  description:
    'bind the tokens to a key kept with them (DPoP, RFC 9449); saved by login (env: KEYWAY_DPOP=1, 0 for off)',
  negationDescription: 'log in with Bearer tokens, for a profile saved with --dpop',
} as const

/**
 * The DPoP switch as the command line or `KEYWAY_DPOP` gave it: the flag's value (`--dpop`
 * true, `--no-dpop` false) when there is one, else the variable (`0`, `false`, `no`, `off`
 * turn it off, any other non-empty value on), else undefined.
 */
export function givenDpop(
  flag: boolean | undefined,
  variable: string | undefined,
): Sourced<boolean> | undefined {
  if (flag !== undefined) {
    return {
      value: flag,
      source: { kind: 'flag', flag: flag ? dpopOption.flag : dpopOption.negation },
    }
  }
  const value = switchVariable(variable)
  if (value === undefined) return undefined
  return { value, source: { kind: 'env', variable: dpopOption.env } }
}

/** The bare flag of a setting: `--client-id`. */
export function flagOf(option: SettingOption): string {
  return option.flags.split(' ')[0]!
}
