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
 * `keyway token` prints one access token on stdout: that is its job (`--id-token` and
 * `kubectl-credential` an ID token, `git-credential get` an access token as the password).
 * Returns stdout with that one occurrence replaced, so the rest (a second copy, a refresh
 * token) is still searched, and how many of `tokens` it held (1 for a run that served one).
 */
export function withoutServedToken(
  stdout: string,
  tokens: readonly string[],
): { readonly rest: string; readonly served: number } {
  const present = tokens.filter((token) => stdout.includes(token))
  const [served] = present
  if (present.length !== 1 || served === undefined) return { rest: stdout, served: present.length }
  return { rest: stdout.replace(served, '<the served token>'), served: 1 }
}

/** The `DPoP:` line `keyway token --header --url` prints for a DPoP-bound token. */
const proofLine = /^DPoP: \S+$/m

/**
 * `keyway token --header --url` of a DPoP-bound token prints a proof made for that request:
 * that is its job. Returns stdout with the proof line's value replaced, so the rest is still
 * searched (a proof shares its header, with the public key, with the proofs of the token
 * requests), and whether there was one.
 */
export function withoutServedProof(stdout: string): {
  readonly rest: string
  readonly proved: boolean
} {
  const proved = proofLine.test(stdout)
  return { rest: stdout.replace(proofLine, 'DPoP: <the proof for --url>'), proved }
}
