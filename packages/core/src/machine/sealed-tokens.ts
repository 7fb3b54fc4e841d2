import { Sealed } from '../sealed.js'
import { summarizeTokens, type TokenSet } from '../tokens.js'

/** Seals `tokens` so that serializers see only their summary. */
export function sealTokens(tokens: TokenSet): Sealed<TokenSet> {
  return new Sealed(tokens, summarizeTokens)
}

const carried = new WeakMap<object, Sealed<TokenSet>>()

/**
 * Attaches the tokens a failed step still produced: a refresh that rotated the refresh token
 * at the provider but could not save it. The machine keeps them, since the old refresh token
 * is dead, while the callers waiting on that refresh get the error.
 */
export function carryTokens<E extends object>(error: E, tokens: TokenSet): E {
  carried.set(error, sealTokens(tokens))
  return error
}

/** The tokens attached to `error` by {@link carryTokens}, if any. */
export function tokensCarriedBy(error: unknown): Sealed<TokenSet> | undefined {
  return typeof error === 'object' && error !== null ? carried.get(error) : undefined
}
