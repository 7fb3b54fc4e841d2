import { secretPieces } from './secrets.js'

/** Something the command printed or wrote, by a name that says which run or file it is. */
export interface AuditedOutput {
  readonly name: string
  readonly text: string
}

/** A secret found in an output: named by its kind, length and origin, never by its value. */
export interface SecretHit {
  readonly output: string
  readonly kind: string
  readonly length: number
  /** Where the secret was seen first, e.g. `POST /token response body`. */
  readonly via: string
}

/** A secret to search for, and what to call it in a hit. */
export interface SearchedSecret {
  readonly kind: string
  readonly value: string
  readonly via: string
}

/** Every (secret, output) pair where the secret, or a long piece of it, appears. */
export function secretHits(
  secrets: readonly SearchedSecret[],
  outputs: readonly AuditedOutput[],
): SecretHit[] {
  return secrets.flatMap((secret) => {
    const pieces = secretPieces(secret.value)
    return outputs
      .filter((output) => pieces.some((piece) => output.text.includes(piece)))
      .map((output) => ({
        output: output.name,
        kind: secret.kind,
        length: secret.value.length,
        via: secret.via,
      }))
  })
}

/**
 * `keyway token` prints one access token on stdout: that is its job. Returns stdout with
 * that one occurrence replaced, so the rest (a second copy, a refresh token) is still
 * searched, and how many of `accessTokens` it held (1 for a run that served a token).
 */
export function withoutServedToken(
  stdout: string,
  accessTokens: readonly string[],
): { readonly rest: string; readonly served: number } {
  const present = accessTokens.filter((token) => stdout.includes(token))
  const [served] = present
  if (present.length !== 1 || served === undefined) return { rest: stdout, served: present.length }
  return { rest: stdout.replace(served, '<the served access token>'), served: 1 }
}
