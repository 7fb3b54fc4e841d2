import { configError } from '@keyway/core'
import { generic } from './generic.js'
import { github } from './github.js'
import { google } from './google.js'
import { microsoft } from './microsoft.js'
import type { AnyProviderInput, ProviderName, ProviderPreset } from './preset.js'
import { spotify } from './spotify.js'

/**
 * Every preset, by name: `providers.spotify`, `providers.github`, `providers.google`,
 * `providers.microsoft` and `providers.generic`.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 * import { providers } from '@keyway/providers'
 *
 * const preset = providers.spotify
 * const kw = createKeyway({
 *   ...preset.options({ clientId: 'your-client-id', scopes: preset.defaultScopes }),
 *   transport: loopback({ host: preset.loopbackHost }),
 * })
 * ```
 */
export const providers = { spotify, github, google, microsoft, generic } as const satisfies Record<
  ProviderName,
  ProviderPreset<never>
>

/** The presets' names, in the order a program lists them. */
export const providerNames: readonly ProviderName[] = Object.freeze(
  Object.keys(providers) as ProviderName[],
)

/** True when `name` names a preset in {@link providers}. */
export function isProviderName(name: unknown): name is ProviderName {
  return typeof name === 'string' && Object.hasOwn(providers, name)
}

/**
 * The preset called `name`, for a program that takes the provider's name as input (a
 * `--provider` flag, a saved profile). Its `options()` takes {@link AnyProviderInput} and
 * refuses, with a `config_error`, a field that is not the preset's own.
 *
 * @throws `config_error` naming the known presets when there is none called `name`.
 * @example
 * ```ts
 * import { getProvider } from '@keyway/providers'
 *
 * const preset = getProvider('microsoft')
 * const options = preset.options({ clientId: 'app-id', tenant: 'organizations' })
 * ```
 */
export function getProvider(name: string): ProviderPreset<AnyProviderInput> {
  if (!isProviderName(name)) {
    throw configError(
      `There is no provider preset called ${JSON.stringify(name)}; the presets are ${providerNames.join(', ')}.`,
    )
  }
  return providers[name]
}
