import { expect } from 'vitest'

/** Asserts that none of `secrets` (nor a long piece of one) appears in `text`. */
export function expectNoSecret(text: string, secrets: readonly string[]): void {
  expect(secrets.length).toBeGreaterThan(0)
  for (const secret of secrets) {
    const pieces = [secret, ...secret.split('.').filter((piece) => piece.length >= 16)]
    // Name the secret by its length only, so a failure does not print it.
    for (const piece of pieces) {
      expect(text.includes(piece), `a secret of ${secret.length} characters was printed`).toBe(
        false,
      )
    }
  }
}
