/**
 * A Keyway token store in the OS keychain via @napi-rs/keyring (loaded lazily): the macOS
 * Keychain, the Windows Credential Manager, the Secret Service on Linux.
 *
 * @packageDocumentation
 */
export {
  defaultLockDir,
  type KeychainStoreOptions,
  type KeychainTokenStore,
  keychainStore,
} from './keychain-store.js'
export type { LinuxBackend } from './keyring.js'
