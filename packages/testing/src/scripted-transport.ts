import {
  type CodeTransport,
  createKeyway,
  DEFAULT_PROFILE,
  type StoreKey,
  type TokenSet,
  type TokenStore,
} from '@keyway/core'
import type { DevProvider } from './dev-provider/provider.js'
import { ScriptedBrowser, type ScriptedConsent } from './scripted-browser.js'

/** Options of {@link scriptedTransport}: the scripted person's choices, and the attacker's. */
export interface ScriptedTransportOptions extends ScriptedConsent {
  /** The redirect URI to register the attempt with. Default `http://127.0.0.1:9/callback`. */
  readonly redirectUri?: string
  /**
   * Alters the redirect before core sees it: how tests play an attacker against the checks
   * core makes itself (state, iss), which a real transport would already have refused.
   */
  readonly tamper?: (callback: URL) => URL
}

/**
 * A code transport with no receiver, for tests that need a login but are not about the
 * transport: the {@link ScriptedBrowser} signs in at the dev provider and hands core the
 * redirect it was sent.
 */
export function scriptedTransport(options: ScriptedTransportOptions = {}): CodeTransport {
  const { redirectUri = 'http://127.0.0.1:9/callback', tamper, ...script } = options
  return {
    kind: 'code',
    name: 'scripted',
    async open() {
      return {
        redirectUri,
        async receive(request) {
          const browser = new ScriptedBrowser()
          const result = await browser.authorize(request.url, { ...script, followRedirect: false })
          return { kind: 'redirect', url: tamper?.(result.callbackUrl) ?? result.callbackUrl }
        },
        async finish() {},
        async close() {},
      }
    },
  }
}

/** The key Keyway files the dev provider's public client under, for `profile`. */
export function devStoreKey(dev: DevProvider, profile: string = DEFAULT_PROFILE): StoreKey {
  return { issuer: new URL(dev.issuer).href, clientId: dev.clients.native.clientId, profile }
}

/**
 * Logs in once at the dev provider with the public client and `offline_access`, through
 * {@link scriptedTransport}, and leaves the tokens in `store`, as a person's first login would.
 */
export async function loginToStore(dev: DevProvider, store: TokenStore): Promise<TokenSet> {
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    transport: scriptedTransport(),
    store,
  })
  try {
    return await kw.login()
  } finally {
    kw.stop()
  }
}
