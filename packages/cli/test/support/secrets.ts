import { expect } from 'vitest'

/** The shortest piece of a dotted secret (a JWT's part) that is searched for on its own. */
const MIN_PIECE_LENGTH = 16

/**
 * What to search for to find `secret` in text: the secret itself, its percent-encoded form
 * when that differs, and each long dot-separated piece (a JWT's header, claims, signature),
 * so that a token printed in part is found too.
 */
export function secretPieces(secret: string): string[] {
  const encoded = encodeURIComponent(secret)
  const parts = secret.split('.').filter((piece) => piece.length >= MIN_PIECE_LENGTH)
  return [...new Set([secret, encoded, ...(parts.length > 1 ? parts : [])])]
}

/** Asserts that none of `secrets` (nor a long piece of one) appears in `text`. */
export function expectNoSecret(text: string, secrets: readonly string[]): void {
  expect(secrets.length).toBeGreaterThan(0)
  for (const secret of secrets) {
    // Name the secret by its length only, so a failure does not print it.
    for (const piece of secretPieces(secret)) {
      expect(text.includes(piece), `a secret of ${secret.length} characters was printed`).toBe(
        false,
      )
    }
  }
}
