/**
 * Keyway's provider presets: the endpoints and quirks of Spotify, GitHub, Google and
 * Microsoft Entra ID, and a checked pass-through for any other OpenID Connect provider. Each
 * turns an app's registration into options for `createKeyway()`, and says what a program
 * needs to know before the login: default scopes, discovery, device grant, client secret,
 * loopback host.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 * import { spotify } from '@keyway/providers'
 *
 * const kw = createKeyway({
 *   ...spotify.options({
 *     clientId: 'your-client-id',
 *     scopes: 'playlist-read-private playlist-read-collaborative',
 *   }),
 *   transport: loopback({ host: spotify.loopbackHost, port: 8888 }),
 * })
 * await kw.login()
 * ```
 *
 * @packageDocumentation
 */
export { generic } from './generic.js'
export { github } from './github.js'
export { google } from './google.js'
export { microsoft } from './microsoft.js'
export type {
  AnyProviderInput,
  ClientSecretNeed,
  DeviceGrantSupport,
  GenericInput,
  MicrosoftInput,
  ProviderInfo,
  ProviderInput,
  ProviderName,
  ProviderOptions,
  ProviderPreset,
} from './preset.js'
export { getProvider, isProviderName, providerNames, providers } from './registry.js'
export { spotify } from './spotify.js'
