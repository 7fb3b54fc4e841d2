import type { TokenStore } from '@keyway/core'
import { STORE_SERVICE, type StoreSpec, tokenFilePath } from './store-spec.js'

/** A store opened for one command, and how to let go of it. */
export interface OpenedStore {
  readonly store: TokenStore
  /** Closes what the store holds open (a Redis connection) so the process can exit. */
  close(): Promise<void>
}

/**
 * Opens the store `spec` names, loading its package only now: `keyway token` with a file
 * store never loads the keychain's native module or ioredis. The keychain has no fallback:
 * when it is missing or locked, its operations fail with `store_unavailable`.
 */
export async function openStore(spec: StoreSpec, configDir: string): Promise<OpenedStore> {
  switch (spec.kind) {
    case 'file': {
      const { fileStore } = await import('@keyway/store-file')
      return { store: fileStore({ path: tokenFilePath(configDir) }), close: async () => {} }
    }
    case 'keychain': {
      const { keychainStore } = await import('@keyway/store-keychain')
      const store = keychainStore({ service: STORE_SERVICE, lockDir: configDir })
      return { store, close: async () => {} }
    }
    case 'redis': {
      const { redisStore } = await import('@keyway/store-redis')
      const store = redisStore({ url: spec.url, prefix: `${STORE_SERVICE}:` })
      return { store, close: () => store.close() }
    }
  }
}
