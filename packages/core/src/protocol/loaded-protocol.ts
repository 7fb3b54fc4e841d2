import type * as Oidc from 'openid-client'
import type { ProtocolSettings } from './settings.js'

/** openid-client and the client's configuration, loaded on the first protocol request. */
export interface LoadedProtocol {
  readonly oidc: typeof Oidc
  readonly config: Oidc.Configuration
  readonly settings: ProtocolSettings
}
