import {
  createKeyway,
  type Fetch,
  type Keyway,
  type KeywayRuntimeOptions,
  storeKeyOf,
  type TokenStore,
  type Transport,
} from '@keyway/core'
import { getProvider, type ProviderOptions } from '@keyway/providers'
import type { Settings } from './config/settings.js'
import { type OpenedStore, openStore } from './store/open-store.js'
import { assertStoreWorks } from './store/store-health.js'

/** The protocol options for `createKeyway()` that the settings' provider preset makes. */
export function protocolOptions(settings: Settings, fetch?: Fetch): ProviderOptions {
  const { clientId, clientSecret, scopes, issuer, tenant } = settings
  return getProvider(settings.provider.value).options({
    clientId: clientId.value,
    scopes: scopes.value,
    ...(clientSecret === undefined ? {} : { clientSecret: clientSecret.value }),
    ...(issuer === undefined ? {} : { issuer: issuer.value }),
    ...(tenant === undefined ? {} : { tenant: tenant.value }),
    ...(fetch === undefined ? {} : { fetch }),
  })
}

/** A Keyway for one command, on the profile's store. */
export interface Session {
  readonly kw: Keyway
  readonly store: TokenStore
  /** Stops the Keyway and closes the store, so the process can exit. */
  close(): Promise<void>
}

/** What a command adds to the settings: the transport (for `login`) and a traced `fetch`. */
export interface SessionOptions {
  readonly transport?: Transport
  readonly fetch?: Fetch | undefined
  /** Try the store out (read, write, delete) before Keyway starts: see `assertStoreWorks`. */
  readonly checkStore?: boolean
  /** Watches the machine: `keyway inspect --serve` passes its served inspector. */
  readonly inspect?: KeywayRuntimeOptions['inspect']
}

/** Opens the profile's store and starts a Keyway on it, which restores the stored grant. */
export async function openSession(
  settings: Settings,
  configDir: string,
  options: SessionOptions = {},
): Promise<Session> {
  const opened: OpenedStore = await openStore(settings.store.value, configDir)
  try {
    if (options.checkStore === true) await assertStoreWorks(opened.store, settings.store.value)
    const kw = createKeyway({
      ...protocolOptions(settings, options.fetch),
      store: opened.store,
      profile: settings.profile.value,
      ...(options.transport === undefined ? {} : { transport: options.transport }),
      ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
    })
    return {
      kw,
      store: opened.store,
      close: async () => {
        await kw.stop()
        await opened.close()
      },
    }
  } catch (error) {
    await opened.close()
    throw error
  }
}

/**
 * The tokens stored for the profile, read without starting Keyway: nothing is refreshed and
 * no request is made, so `status` and `doctor` only look.
 */
export function readStoredTokens(settings: Settings, store: TokenStore) {
  const key = storeKeyOf({ ...protocolOptions(settings), profile: settings.profile.value })
  return store.load(key)
}
