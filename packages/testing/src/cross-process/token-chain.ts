import type { TokenSet } from '@keyway/core'
import { type SeenToken, tokenDigest } from './protocol.js'
import type { FinalReport } from './token-workers.js'

/**
 * Every token the workers saw, oldest first, with the login's token ahead of them: each link
 * after the first is one refresh that some process made and every process could see.
 */
export function tokenChain(login: TokenSet, reports: readonly FinalReport[]): SeenToken[] {
  const chain = new Map<string, SeenToken>()
  const first = tokenDigest(login.accessToken)
  chain.set(first, { digest: first, expiresAt: login.expiresAt })
  for (const report of reports) for (const seen of report.seen) chain.set(seen.digest, seen)
  return [...chain.values()].sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0))
}
