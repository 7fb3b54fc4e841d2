import { readFile } from 'node:fs/promises'

/**
 * The `node --import` module that records the secrets passing through a `keyway` process's
 * `fetch`, into the file named by {@link LEDGER_VARIABLE}.
 */
export const SECRET_RECORDER = new URL('../fixtures/record-secrets.mjs', import.meta.url)

/** The variable that names the ledger file for {@link SECRET_RECORDER}. */
export const LEDGER_VARIABLE = 'RECORD_SECRETS_TO'

/** One secret seen on the wire: what it is, its value, and the request or response it was in. */
export interface RecordedSecret {
  /** `authorization_code`, `code_verifier`, `access_token`, `client_secret`, … */
  readonly kind: string
  readonly value: string
  /** E.g. `POST /token request body`; never the value. */
  readonly via: string
}

/** What the recorder wrote: each distinct secret once, and the bodies it could not read. */
export interface SecretLedger {
  readonly secrets: readonly RecordedSecret[]
  /** Bodies that were neither form parameters nor JSON, with where they were seen. */
  readonly unread: readonly { readonly unread: string; readonly via: string }[]
}

/** `NODE_OPTIONS` that load the recorder, after whatever the given options already hold. */
export function recorderNodeOptions(existing: string | undefined): string {
  return [existing, `--import=${SECRET_RECORDER.href}`].filter(Boolean).join(' ')
}

/** Reads a ledger; a value recorded more than once (a token sent back later) counts once. */
export async function readSecretLedger(path: string): Promise<SecretLedger> {
  const text = await readFile(path, 'utf8').catch(() => '')
  const lines = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RecordedSecret | { unread: string; via: string })
  const secrets = new Map<string, RecordedSecret>()
  const unread: { unread: string; via: string }[] = []
  for (const line of lines) {
    if ('unread' in line) unread.push(line)
    else if (!secrets.has(line.value)) secrets.set(line.value, line)
  }
  return { secrets: [...secrets.values()], unread }
}
