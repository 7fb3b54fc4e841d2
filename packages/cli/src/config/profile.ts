import { configError } from '@keyway/core'

/**
 * What `keyway login` saves under a profile's name, so that later commands need only
 * `--profile`. Every field is optional: a command line or `KEYWAY_*` variables fill the gaps.
 */
export interface SavedProfile {
  /** A provider preset's name: `spotify`, `github`, `google`, `microsoft`, `generic`. */
  readonly provider?: string
  /** The issuer, for the generic preset. */
  readonly issuer?: string
  /** The directory (tenant), for the microsoft preset. */
  readonly tenant?: string
  /** The OAuth client id. */
  readonly clientId?: string
  /** The client secret, when given on the command line (never one that came from the environment). */
  readonly clientSecret?: string
  /** The scopes asked for. */
  readonly scopes?: readonly string[]
  /** The resource indicators (RFC 8707) asked for. */
  readonly resources?: readonly string[]
  /** Where the tokens are kept: `keychain`, `file` or a `redis://` URL. */
  readonly store?: string
  /** The loopback port of the redirect URI, when the provider needs a fixed one. */
  readonly port?: number
  /** True when the grant is bound to a DPoP key (`keyway login --dpop`). */
  readonly dpop?: boolean
}

const stringFields = ['provider', 'issuer', 'tenant', 'clientId', 'clientSecret', 'store'] as const

function problem(where: string, what: string) {
  return configError(`${where}: ${what}. Fix the file, or log in again to rewrite the profile.`)
}

/**
 * Checks one profile read from the config file; a field of the wrong type is a `config_error`
 * naming the file and the field. Fields this version does not know are left out.
 */
export function parseProfile(value: unknown, where: string): SavedProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problem(where, 'a profile must be an object')
  }
  const given = value as Readonly<Record<string, unknown>>
  const profile: Record<string, unknown> = {}
  for (const field of stringFields) {
    const entry = given[field]
    if (entry === undefined) continue
    if (typeof entry !== 'string' || entry === '') {
      throw problem(where, `${field} must be a non-empty string`)
    }
    profile[field] = entry
  }
  const { scopes, resources, port, dpop } = given
  for (const [field, list] of [
    ['scopes', scopes],
    ['resources', resources],
  ] as const) {
    if (list === undefined) continue
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
      throw problem(where, `${field} must be an array of strings`)
    }
    profile[field] = list
  }
  if (port !== undefined) {
    if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65_535) {
      throw problem(where, 'port must be a whole number from 0 to 65535')
    }
    profile.port = port
  }
  if (dpop !== undefined) {
    if (typeof dpop !== 'boolean') throw problem(where, 'dpop must be true or false')
    profile.dpop = dpop
  }
  return profile as SavedProfile
}
