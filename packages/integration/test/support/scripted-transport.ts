import type { CodeTransport } from '@keyway/core'
import { ScriptedBrowser, type ScriptedConsent } from '@keyway/testing'

/** Options of {@link scriptedTransport}. */
export interface ScriptedTransportOptions {
  /** The redirect URI to register the attempt with. */
  readonly redirectUri?: string
  /** Alters the callback before core sees it: how these tests play an attacker. */
  readonly tamper?: (callback: URL) => URL
  readonly script?: ScriptedConsent
}

/**
 * A transport with no receiver: the scripted browser signs in and hands core the redirect it
 * was sent, possibly altered. It exists for the checks core makes itself (state, iss), which a
 * real transport would already have refused.
 */
export function scriptedTransport(options: ScriptedTransportOptions = {}): CodeTransport {
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:9/callback'
  return {
    kind: 'code',
    name: 'scripted',
    async open() {
      return {
        redirectUri,
        async receive(request) {
          const { callbackUrl } = await new ScriptedBrowser().authorize(request.url, {
            ...options.script,
            followRedirect: false,
          })
          return { kind: 'redirect', url: options.tamper?.(callbackUrl) ?? callbackUrl }
        },
        async finish() {},
        async close() {},
      }
    },
  }
}
