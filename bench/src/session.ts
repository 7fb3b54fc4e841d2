import { createKeyway, type Keyway, type KeywayOptions, memoryStore } from '@keyway/core'
import { ScriptedBrowser, scriptedTransport } from '@keyway/testing'
import * as client from 'openid-client'
import type { RemoteProvider } from './remote-provider.js'

/** A Keyway on the dev provider's public client, with a memory store. */
export function devKeyway(dev: RemoteProvider, overrides: Partial<KeywayOptions> = {}): Keyway {
  return createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    transport: scriptedTransport(),
    store: memoryStore(),
    ...overrides,
  })
}

/** The bare openid-client baseline: the same client, configured the usual way. */
export async function bareClient(dev: RemoteProvider): Promise<client.Configuration> {
  return client.discovery(
    new URL(dev.issuer),
    dev.clients.native.clientId,
    undefined,
    client.None(),
    {
      execute: [client.allowInsecureRequests],
    },
  )
}

/** A code for the bare client: PKCE, the scripted person, the redirect's URL. */
export async function bareCode(config: client.Configuration) {
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:9/callback',
    scope: 'openid offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  })
  const { callbackUrl } = await new ScriptedBrowser().authorize(url, { followRedirect: false })
  return {
    callbackUrl,
    checks: { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true },
  }
}
