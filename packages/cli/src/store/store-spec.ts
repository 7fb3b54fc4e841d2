import { join } from 'node:path'
import { configError } from '@keyway/core'
import { TOKEN_FILE_NAME } from '../config/config-dir.js'
import { maskUrl } from '../mask.js'

/**
 * Where the tokens are kept, as `--store` names it: the OS keychain, a private (0600,
 * plaintext) file in the config folder, or Redis.
 */
export type ConcreteStoreSpec =
  | { readonly kind: 'keychain' }
  | { readonly kind: 'file' }
  | { readonly kind: 'redis'; readonly url: string }

/**
 * A {@link ConcreteStoreSpec}, or `auto` (the default): the keychain where one answers,
 * otherwise the private file, with a notice (see `openStore`).
 */
export type StoreSpec = ConcreteStoreSpec | { readonly kind: 'auto' }

/** The store a profile uses when none is named anywhere. */
export const DEFAULT_STORE = 'auto'

/** The keychain service (and Redis key prefix) the CLI files its tokens under. */
export const STORE_SERVICE = 'keyway'

/** Reads a `--store` value: `auto`, `keychain`, `file`, or a `redis://` / `rediss://` URL. */
export function parseStoreSpec(text: string): StoreSpec {
  const value = text.trim()
  if (value === 'auto' || value === 'keychain' || value === 'file') return { kind: value }
  if (/^rediss?:\/\//i.test(value)) {
    try {
      new URL(value)
    } catch (cause) {
      throw configError(`The store URL ${maskUrl(value)} is not a valid URL.`, cause)
    }
    return { kind: 'redis', url: value }
  }
  throw configError(
    `Unknown store ${JSON.stringify(maskUrl(value))}: use auto, keychain, file, or a redis:// URL.`,
  )
}

/** The spec as `--store` and the config file write it. */
export function storeSpecText(spec: StoreSpec): string {
  return spec.kind === 'redis' ? spec.url : spec.kind
}

/** The token file of `--store file` for the config folder `dir`. */
export function tokenFilePath(dir: string): string {
  return join(dir, TOKEN_FILE_NAME)
}

/** The store for people: `keychain (service keyway)`, `file /…/tokens.json (plaintext)`, … */
export function describeStore(spec: StoreSpec, configDir: string): string {
  switch (spec.kind) {
    case 'auto':
      return 'auto (the keychain where one answers, else a private file)'
    case 'keychain':
      return `keychain (service ${STORE_SERVICE})`
    case 'file':
      return `file ${tokenFilePath(configDir)} (plaintext)`
    case 'redis':
      return `redis ${maskUrl(spec.url)}`
  }
}
