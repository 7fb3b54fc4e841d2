import type { TokenStore } from '@keyway/core'
import {
  type ConcreteStoreSpec,
  STORE_SERVICE,
  type StoreSpec,
  tokenFilePath,
} from './store-spec.js'

/** Why `--store auto` settled on the store it did. */
export interface AutoChoice {
  /** What was found: `the Secret Service answered`, `no keychain answered …`. */
  readonly reason: string
  /** True when no keychain answered and the private file stands in for it. */
  readonly fellBack: boolean
}

/** A store opened for one command, and how to let go of it. */
export interface OpenedStore {
  readonly store: TokenStore
  /** The store in use: the one asked for, or what `auto` settled on. */
  readonly spec: ConcreteStoreSpec
  /** Why `auto` chose {@link spec}; undefined when the store was named. */
  readonly auto?: AutoChoice
  /** Closes what the store holds open (a Redis connection) so the process can exit. */
  close(): Promise<void>
}

const noClose = async () => {}

async function openFile(configDir: string): Promise<TokenStore> {
  const { fileStore } = await import('@keyway/store-file')
  return fileStore({ path: tokenFilePath(configDir) })
}

async function openKeychain(configDir: string) {
  const { keychainStore } = await import('@keyway/store-keychain')
  return keychainStore({ service: STORE_SERVICE, lockDir: configDir })
}

/** Where a keychain would have answered: the Secret Service on Linux, the OS keychain elsewhere. */
const keychainName = process.platform === 'linux' ? 'the Secret Service' : 'the OS keychain'

/**
 * `auto`: the keychain when it answers its own probe (on Linux the Secret Service only, never
 * the kernel keyring, which forgets on reboot), otherwise the private file.
 */
async function openAuto(configDir: string): Promise<OpenedStore> {
  const keychain = await openKeychain(configDir).catch(() => undefined)
  if (keychain !== undefined && (await keychain.isAvailable())) {
    const auto = { reason: `${keychainName} answered`, fellBack: false }
    return { store: keychain, spec: { kind: 'keychain' }, auto, close: noClose }
  }
  const reason =
    keychain === undefined
      ? 'no keychain answered (the keychain library cannot load here)'
      : process.platform === 'linux'
        ? 'no keychain answered (no Secret Service on the session bus)'
        : 'no keychain answered'
  const store = await openFile(configDir)
  return { store, spec: { kind: 'file' }, auto: { reason, fellBack: true }, close: noClose }
}

/**
 * Opens the store `spec` names, loading its package only now: `keyway token` with a file
 * store never loads the keychain's native module or ioredis. A keychain named by `--store
 * keychain` has no fallback: when it is missing or locked, its operations fail with
 * `store_unavailable`. `auto` settles on the keychain or the file, and says why.
 */
export async function openStore(spec: StoreSpec, configDir: string): Promise<OpenedStore> {
  switch (spec.kind) {
    case 'auto':
      return openAuto(configDir)
    case 'file':
      return { store: await openFile(configDir), spec, close: noClose }
    case 'keychain':
      return { store: await openKeychain(configDir), spec, close: noClose }
    case 'redis': {
      const { redisStore } = await import('@keyway/store-redis')
      const store = redisStore({ url: spec.url, prefix: `${STORE_SERVICE}:` })
      return { store, spec, close: () => store.close() }
    }
  }
}

/**
 * The one line that tells the person `auto` fell back to the file: that no keychain answered,
 * which file holds the tokens, and how to choose; undefined when nothing needs telling.
 */
export function fallbackNotice(opened: OpenedStore, configDir: string): string | undefined {
  if (opened.auto?.fellBack !== true) return undefined
  return (
    `Note: ${opened.auto.reason}; tokens are kept in ${tokenFilePath(configDir)} ` +
    '(0600, plaintext). Choose with --store keychain|file|redis://….'
  )
}
