import { KeywayError, KeywayErrorCodes } from '@keyway/core'

/** The parts of @napi-rs/keyring the store uses. */
export type KeyringModule = typeof import('@napi-rs/keyring')
/** One keychain entry. */
export type KeyringEntry = InstanceType<KeyringModule['AsyncEntry']>

/**
 * Which Linux credential store entries live in. `secret-service` (GNOME Keyring, KWallet,
 * KeePassXC) keeps them across reboots; `keyutils`, the kernel keyring, forgets them on reboot,
 * so the store uses it only when asked. Other platforms have one keychain and ignore this.
 */
export type LinuxBackend = 'secret-service' | 'keyutils'

let loaded: Promise<KeyringModule> | undefined

/** Loads @napi-rs/keyring on first use: a program that never touches the keychain never loads it. */
export function loadKeyring(): Promise<KeyringModule> {
  loaded ??= import('@napi-rs/keyring').catch((cause: unknown) => {
    loaded = undefined
    throw new KeywayError(
      KeywayErrorCodes.storeUnavailable,
      'The keychain store needs @napi-rs/keyring, which could not be loaded on this platform.',
      { cause },
    )
  })
  return loaded
}

/**
 * A keychain failure as a KeywayError: no keychain to talk to (no Secret Service on the bus,
 * no access) is `store_unavailable`; anything else is `store_error`. The library's messages
 * name the platform's problem, never a stored value, so they are kept as the cause.
 */
export function keyringError(error: unknown, doing: string): KeywayError {
  if (error instanceof KeywayError) return error
  const message = error instanceof Error ? error.message : ''
  if (/^(Platform failure|Couldn't access platform storage)/.test(message)) {
    return new KeywayError(
      KeywayErrorCodes.storeUnavailable,
      'No OS keychain is available (on Linux: no unlocked Secret Service on the session bus).',
      { cause: error },
    )
  }
  return new KeywayError(KeywayErrorCodes.storeError, `The keychain failed while ${doing}.`, {
    cause: error,
  })
}

/** Opens the entry `account` of `service`, pinned to `backend` on Linux. */
export async function openEntry(
  service: string,
  account: string,
  backend: LinuxBackend,
): Promise<KeyringEntry> {
  const { AsyncEntry } = await loadKeyring()
  try {
    return new AsyncEntry(service, account, { linux: { store: backend } })
  } catch (error) {
    throw keyringError(error, 'opening an entry')
  }
}
