import type { Readable } from 'node:stream'

/** What git tells a credential helper about the credential it wants (`protocol`, `host`, …). */
export type CredentialRequest = ReadonlyMap<string, string>

/** The most git ever writes to a helper; more is not a credential request. */
const MAX_REQUEST_BYTES = 64 * 1024

/**
 * Reads git's credential request: `key=value` lines up to a blank line or the end of the
 * input. Lines without `=` are skipped; for a key given twice (`wwwauth[]`), the last wins.
 */
export function parseCredentialRequest(text: string): CredentialRequest {
  const request = new Map<string, string>()
  for (const line of text.split('\n')) {
    const trimmed = line.replace(/\r$/, '')
    if (trimmed === '') break
    const equals = trimmed.indexOf('=')
    if (equals > 0) request.set(trimmed.slice(0, equals), trimmed.slice(equals + 1))
  }
  return request
}

async function readText(input: Readable): Promise<string> {
  let text = ''
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    if (/(^|\n)\r?\n/.test(text) || text.length > MAX_REQUEST_BYTES) break
  }
  return text
}

/**
 * Where a stream keeps the request read from it. A registered symbol, not a module's own map:
 * the `keyway` bin's stored-token path and its full command line are two bundles that share
 * no module, and both must see the one read (the first read consumes the stream).
 */
const READ_REQUEST = Symbol.for('keyway.git-credential.request')

type RememberingInput = Readable & { [READ_REQUEST]?: Promise<CredentialRequest> }

/**
 * Git's credential request on `input`, read once: the stored-token path and the full command
 * both ask, and the second gets what the first read.
 */
export function readCredentialRequest(input: Readable): Promise<CredentialRequest> {
  const remembering = input as RememberingInput
  remembering[READ_REQUEST] ??= readText(input).then(parseCredentialRequest)
  return remembering[READ_REQUEST]
}

/**
 * A helper's answer to `get`, as git reads it: `key=value` lines. A value with a line break
 * is left out: git would misread it.
 */
export function formatCredential(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .filter(([, value]) => !/[\r\n\0]/.test(value))
    .map(([key, value]) => `${key}=${value}\n`)
    .join('')
}
