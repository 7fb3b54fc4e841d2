import type { TokenSet } from '../tokens.js'

/** The longest delay a Node.js timer takes; longer ones fire at once. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1

/** Jitter is at most this share of the margin, so processes sharing a grant spread out. */
export const JITTER_SHARE = 0.1

/**
 * When to refresh `tokens` (epoch ms): at expiry minus the margin, minus a jitter of at most
 * 10% of the margin. When the margin exceeds half the token's remaining lifetime, half that
 * lifetime is used instead, so a short-lived token is not refreshed the moment it arrives.
 * Tokens without an expiry or a refresh token have no refresh time.
 */
export function planRefresh(
  tokens: TokenSet | undefined,
  options: { readonly now: number; readonly margin: number; readonly random: number },
): number | undefined {
  if (tokens?.expiresAt === undefined || tokens.refreshToken === undefined) return undefined
  const remaining = tokens.expiresAt - options.now
  const margin = Math.min(options.margin, Math.max(0, remaining / 2))
  const jitter = margin * JITTER_SHARE * Math.min(Math.max(options.random, 0), 1)
  return Math.round(tokens.expiresAt - margin - jitter)
}

/**
 * When to try again after a refresh failed for a reason other than a dead grant: a backoff
 * of 5 s doubling per failure up to 5 minutes, and never later than the access token's expiry.
 */
export function planRetry(
  tokens: TokenSet | undefined,
  options: { readonly now: number; readonly failures: number; readonly random: number },
): number {
  const backoff = Math.min(300_000, 5_000 * 2 ** Math.max(0, options.failures - 1))
  const at = options.now + Math.round(backoff * (0.75 + options.random / 4))
  const expiresAt = tokens?.expiresAt
  return expiresAt !== undefined && expiresAt > options.now ? Math.min(at, expiresAt) : at
}

/** The timer delay until `at`, within what a timer can wait; 0 when `at` has passed. */
export function delayUntil(at: number | undefined, now: number): number {
  if (at === undefined) return MAX_TIMER_DELAY
  return Math.min(MAX_TIMER_DELAY, Math.max(0, at - now))
}
