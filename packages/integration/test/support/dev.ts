import {
  createKeyway,
  type Keyway,
  type KeywayOptions,
  type KeywayRuntimeOptions,
  memoryStore,
  type StoreKey,
} from '@keyway/core'
import { type DevProvider, type DevProviderOptions, startDevProvider } from '@keyway/testing'
import { afterAll, afterEach, beforeAll } from 'vitest'

/** Starts one dev provider for the test file and stops every Keyway a test created. */
export function useDevProvider(options: DevProviderOptions = {}) {
  let provider: DevProvider | undefined
  const running: Keyway[] = []
  beforeAll(async () => {
    provider = await startDevProvider(options)
  })
  afterAll(async () => {
    await provider?.close()
  })
  afterEach(() => {
    for (const kw of running.splice(0)) kw.stop()
    provider?.counters.reset()
  })
  return {
    get dev(): DevProvider {
      if (provider === undefined) throw new Error('the dev provider is not started yet')
      return provider
    },
    /** The store key under which a Keyway of `clientId` (the public client by default) saves. */
    keyOf(clientId?: string): StoreKey {
      const { issuer, clients } = this.dev
      return {
        issuer: new URL(issuer).href,
        clientId: clientId ?? clients.native.clientId,
        profile: 'default',
      }
    },
    /** A Keyway on the dev provider's public client, stopped after the test. */
    keyway(overrides: Partial<KeywayOptions> & KeywayRuntimeOptions = {}): Keyway {
      const kw = createKeyway({
        issuer: this.dev.issuer,
        clientId: this.dev.clients.native.clientId,
        scopes: ['openid', 'offline_access'],
        store: memoryStore(),
        ...overrides,
      })
      running.push(kw)
      return kw
    },
  }
}
