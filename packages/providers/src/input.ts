import { configError } from '@keyway/core'
import type { AnyProviderInput, ProviderInput, ProviderName, ProviderOptions } from './preset.js'

/** The fields only some presets take, and which preset each belongs to. */
const ownFields = {
  tenant: 'microsoft',
  issuer: 'generic',
  endpoints: 'generic',
  clientAuth: 'generic',
  resource: 'generic',
  resourceParameter: 'generic',
} as const satisfies Partial<Record<keyof AnyProviderInput, ProviderName>>

/**
 * Checks the input is an object and refuses the fields that belong to another preset (and
 * `alsoRefused`), so a `--tenant` given with `--provider spotify` is an error rather than
 * silently ignored.
 */
export function checkInput(
  name: ProviderName,
  input: unknown,
  alsoRefused: readonly string[] = [],
): void {
  if (typeof input !== 'object' || input === null) {
    throw configError(`providers.${name}.options() needs an object with at least a clientId.`)
  }
  const given = input as Readonly<Record<string, unknown>>
  for (const [field, owner] of Object.entries(ownFields)) {
    if (owner !== name && given[field] !== undefined) {
      throw configError(`The ${name} preset takes no ${field} (only ${owner} does).`)
    }
  }
  for (const field of alsoRefused) {
    if (given[field] !== undefined) throw configError(`The ${name} preset takes no ${field}.`)
  }
}

/**
 * The scopes to ask for: the app's own, split on white space when given as one string, or
 * the preset's defaults when none are given.
 */
export function scopeList(
  scopes: ProviderInput['scopes'],
  defaults: readonly string[],
): readonly string[] {
  if (scopes === undefined) return [...defaults]
  const parts = typeof scopes === 'string' ? [scopes] : scopes
  if (!Array.isArray(parts) || parts.some((part) => typeof part !== 'string')) {
    throw configError('scopes must be a string of space-separated scopes or an array of strings.')
  }
  return [...new Set(parts.flatMap((part) => part.split(/\s+/)).filter((scope) => scope !== ''))]
}

/**
 * Resolves `path` against the provider's base URL (the real one, or the override), keeping a
 * path prefix the override may have: `http://127.0.0.1:8080/spotify` + `/api/token`.
 */
export function endpointUrl(base: string | URL, path: string): string {
  let url: URL
  try {
    url = new URL(base)
  } catch (cause) {
    throw configError('baseUrl is not a valid URL.', cause)
  }
  if (url.search !== '' || url.hash !== '') {
    throw configError('baseUrl must not carry a query or a fragment.')
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}${path}`
}

/**
 * The options every preset passes through as the app gave them: the client, the `fetch`, and
 * the authorization parameters over the preset's own.
 */
export function commonOptions(
  input: ProviderInput,
  presetParams: Readonly<Record<string, string>> = {},
): ProviderOptions {
  const authorizationParams = { ...presetParams, ...input.authorizationParams }
  return {
    clientId: input.clientId,
    ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }),
    ...(Object.keys(authorizationParams).length === 0 ? {} : { authorizationParams }),
    ...(input.fetch === undefined ? {} : { fetch: input.fetch }),
  }
}
