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
import type { CommandContext } from './context.js'
import { fallbackNotice, type OpenedStore, openStore } from './store/open-store.js'
import { assertStoreWorks } from './store/store-health.js'
import type { ConcreteStoreSpec } from './store/store-spec.js'

/** The protocol options for `createKeyway()` that the settings' provider preset makes. */
export function protocolOptions(settings: Settings, fetch?: Fetch): ProviderOptions {
  const { clientId, clientSecret, scopes, resources, issuer, tenant } = settings
  return getProvider(settings.provider.value).options({
    clientId: clientId.value,
    scopes: scopes.value,
    ...(clientSecret === undefined ? {} : { clientSecret: clientSecret.value }),
    ...(issuer === undefined ? {} : { issuer: issuer.value }),
    ...(tenant === undefined ? {} : { tenant: tenant.value }),
    ...(resources === undefined ? {} : { resource: resources.value }),
    ...(fetch === undefined ? {} : { fetch }),
  })
}

/** A Keyway for one command, on the profile's store. */
export interface Session {
  readonly kw: Keyway
  readonly store: TokenStore
  /** The store in use: the one the settings name, or what `auto` settled on. */
  readonly storeSpec: ConcreteStoreSpec
  /** The line that says `auto` fell back to the file, when it did and it is not told yet. */
  readonly storeNotice: string | undefined
  /** Stops the Keyway and closes the store, so the process can exit. */
  close(): Promise<void>
}

/** What a command adds to the settings: the transport (for `login`) and a traced `fetch`. */
export interface SessionOptions {
  readonly transport?: Transport
  readonly fetch?: Fetch | undefined
  /** Try the store out (read, write, delete) before Keyway starts: see `assertStoreWorks`. */
  readonly checkStore?: boolean
  /**
   * Keep the store's fallback notice for the command to tell when it is worth telling
   * (`login`, once it succeeded) instead of printing it on opening.
   */
  readonly holdStoreNotice?: boolean
  /** Watches the machine: `keyway inspect --serve` passes its served inspector. */
  readonly inspect?: KeywayRuntimeOptions['inspect']
  /** Bind the new grant to a DPoP key (`keyway login --dpop`). */
  readonly dpop?: boolean
}

/**
 * Opens the profile's store; when `auto` found no keychain, tells the person on stderr (one
 * line) that the private file stands in for it.
 *
 * @param hold - keep the notice (returned as `notice`) for the caller to tell later.
 */
export async function openProfileStore(
  context: CommandContext,
  settings: Settings,
  hold = false,
): Promise<OpenedStore & { readonly notice: string | undefined }> {
  const opened = await openStore(settings.store.value, context.configDir)
  const notice = fallbackNotice(opened, context.configDir)
  if (notice !== undefined && !hold) tellStoreNotice(context, notice)
  return { ...opened, notice: hold ? notice : undefined }
}

/** Writes the store's fallback notice on stderr, on one line. */
export function tellStoreNotice(context: CommandContext, notice: string | undefined): void {
  if (notice !== undefined) context.io.stderr.write(`${context.style.yellow(notice)}\n`)
}

/** Opens the profile's store and starts a Keyway on it, which restores the stored grant. */
export async function openSession(
  context: CommandContext,
  settings: Settings,
  options: SessionOptions = {},
): Promise<Session> {
  const opened = await openProfileStore(context, settings, options.holdStoreNotice === true)
  try {
    if (options.checkStore === true) await assertStoreWorks(opened.store, opened.spec)
    const kw = createKeyway({
      ...protocolOptions(settings, options.fetch),
      store: opened.store,
      profile: settings.profile.value,
      ...(options.transport === undefined ? {} : { transport: options.transport }),
      ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
      ...(options.dpop === true ? { dpop: true } : {}),
    })
    return {
      kw,
      store: opened.store,
      storeSpec: opened.spec,
      storeNotice: opened.notice,
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
