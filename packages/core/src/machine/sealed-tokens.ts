import { Sealed } from '../sealed.js'
import { summarizeTokens, type TokenSet } from '../tokens.js'

/** Seals `tokens` so that serializers see only their summary. */
export function sealTokens(tokens: TokenSet): Sealed<TokenSet> {
  return new Sealed(tokens, summarizeTokens)
}
