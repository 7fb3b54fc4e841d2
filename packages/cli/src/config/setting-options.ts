import type { GivenSettings } from './settings.js'

/** One setting's command-line flag and `KEYWAY_*` variable. */
export interface SettingOption {
  readonly key: keyof GivenSettings
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

/** The bare flag of a setting: `--client-id`. */
export function flagOf(option: SettingOption): string {
  return option.flags.split(' ')[0]!
}
