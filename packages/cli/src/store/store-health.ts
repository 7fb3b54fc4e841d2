import { KeywayError, KeywayErrorCodes, type StoreKey, type TokenStore } from '@keyway/core'
import { STORE_SERVICE, type StoreSpec } from './store-spec.js'

/** A key no grant uses, for trying a store out. */
const probeKey: StoreKey = {
  issuer: `urn:${STORE_SERVICE}:store-check`,
  clientId: STORE_SERVICE,
  profile: 'store-check',
}

/**
 * Tries the store the way a login will use it: reads, writes a record that holds no secret,
 * and removes it. A keychain that answers reads but cannot be written to (locked, or with no
 * keyring to write in) is found here, before the person signs in, not after.
 */
export async function tryStore(store: TokenStore): Promise<void> {
  await store.load(probeKey)
  await store.save(probeKey, { accessToken: 'keyway-store-check', tokenType: 'Bearer' })
  await store.delete(probeKey)
}

/** Why a store failed, for people: what is wrong, and what to do about it. */
export interface StoreProblem {
  readonly summary: string
  readonly advice: string
}

function messagesOf(error: unknown): string {
  const messages: string[] = []
  let current: unknown = error
  while (current instanceof Error && messages.length < 6) {
    messages.push(current.message)
    current = current.cause
  }
  return messages.join(' / ')
}

const useFile = 'or keep tokens in a plaintext file instead: --store file.'
const fileInstead = 'Keep tokens in a plaintext file instead: --store file.'

function keychainProblem(reasons: string): StoreProblem {
  // Core's own message says "no unlocked Secret Service": look at the library's words first.
  if (/Failed to connect|autolaunch|ServiceUnknown|not provided by any/i.test(reasons)) {
    return {
      summary: 'there is no keychain: no Secret Service answers on the session bus.',
      advice: `Start one (gnome-keyring, KWallet, KeePassXC) in a desktop session, ${useFile}`,
    }
  }
  if (/unlock prompt|\blocked\b/i.test(reasons)) {
    return {
      summary: 'the keychain is locked (the Secret Service asked to unlock it and nobody could).',
      advice: `Unlock it (log in to the desktop session, or run gnome-keyring-daemon --unlock), ${useFile}`,
    }
  }
  if (/no result found/i.test(reasons)) {
    return {
      summary:
        'the Secret Service has no default keyring to write to (none created, or it is locked).',
      advice: `Create or unlock the login keyring, ${useFile}`,
    }
  }
  if (/@napi-rs\/keyring/.test(reasons)) {
    return { summary: 'the keychain library cannot load on this platform.', advice: fileInstead }
  }
  return { summary: `the keychain failed: ${reasons}`, advice: `Check the keychain, ${useFile}` }
}

/** Explains a failure of the store `spec` names. */
export function storeProblem(spec: StoreSpec, error: unknown): StoreProblem {
  const reasons = messagesOf(error)
  switch (spec.kind) {
    case 'keychain':
      return keychainProblem(reasons)
    case 'redis':
      return {
        summary: `Redis cannot be used: ${reasons}`,
        advice: 'Check that the server runs and the URL, user and password are right.',
      }
    case 'auto': // auto opens the keychain only once it has answered: what fails is the file
    case 'file':
      return {
        summary: `the token file cannot be used: ${reasons}`,
        advice: 'Check the permissions of the config folder (KEYWAY_CONFIG_DIR).',
      }
  }
}

/**
 * Fails with `store_unavailable`, explained and with advice, when the store cannot keep
 * tokens; a keychain named by `--store keychain` is never swapped for a file.
 */
export async function assertStoreWorks(store: TokenStore, spec: StoreSpec): Promise<void> {
  try {
    await tryStore(store)
  } catch (error) {
    const problem = storeProblem(spec, error)
    throw new KeywayError(
      KeywayErrorCodes.storeUnavailable,
      `Cannot keep tokens: ${problem.summary} ${problem.advice}`,
      { cause: error },
    )
  }
}
