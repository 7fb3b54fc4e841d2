import { join } from 'node:path'
import { configError } from '@keyway/core'
import { TOKEN_FILE_NAME } from '../config/config-dir.js'
import { maskUrl } from '../mask.js'

/**
 * Where the tokens are kept, as `--store` names it: the OS keychain (the default), a
 * plaintext file in the config folder (only when asked), or Redis.
 */
export type StoreSpec =
  | { readonly kind: 'keychain' }
  | { readonly kind: 'file' }
  | { readonly kind: 'redis'; readonly url: string }

/** The keychain service (and Redis key prefix) the CLI files its tokens under. */
export const STORE_SERVICE = 'keyway'

/** Reads a `--store` value: `keychain`, `file`, or a `redis://` / `rediss://` URL. */
export function parseStoreSpec(text: string): StoreSpec {
  const value = text.trim()
  if (value === 'keychain' || value === 'file') return { kind: value }
  if (/^rediss?:\/\//i.test(value)) {
    try {
      new URL(value)
    } catch (cause) {
      throw configError(`The store URL ${maskUrl(value)} is not a valid URL.`, cause)
    }
    return { kind: 'redis', url: value }
  }
  throw configError(
    `Unknown store ${JSON.stringify(maskUrl(value))}: use keychain, file, or a redis:// URL.`,
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
    case 'keychain':
      return `keychain (service ${STORE_SERVICE})`
    case 'file':
      return `file ${tokenFilePath(configDir)} (plaintext)`
    case 'redis':
      return `redis ${maskUrl(spec.url)}`
  }
}
