import type { TokenSet } from '../tokens.js'

/** The longest delay a Node.js timer takes; longer ones fire at once. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1

/** Jitter is at most this share of the margin, so processes sharing a grant spread out. */
export const JITTER_SHARE = 0.1

/**
 * A token with at least this long left is served from memory, even inside its refresh
 * margin: the planned refresh (spread by jitter) renews it, and callers need not wait.
 */
export const SERVE_FLOOR = 5_000

/**
 * The refresh margin that applies to `tokens`: the configured one, but at most half the
 * token's lifetime, so a short-lived token is not refreshed the moment it arrives. The
 * lifetime counts from `obtainedAt`; for a record without it, from `now`.
 */
export function effectiveMargin(tokens: TokenSet, margin: number, now: number): number {
  if (tokens.expiresAt === undefined) return margin
  const lifetime = tokens.expiresAt - (tokens.obtainedAt ?? now)
  return Math.min(margin, Math.max(0, lifetime / 2))
}

/**
 * How long a token must still live to be handed out without a refresh (the default
 * `minTtl`): 5 s (`SERVE_FLOOR`), or less for a token whose effective margin is shorter.
 * The same margin rule plans the refresh, so a 5-second token is served for half its life
 * and refreshed once per half-life, never on every call.
 */
export function servingMinTtl(tokens: TokenSet, margin: number, now: number): number {
  return Math.min(SERVE_FLOOR, effectiveMargin(tokens, margin, now))
}

/**
 * When to refresh `tokens` (epoch ms): at expiry minus the {@link effectiveMargin}, minus a
 * jitter of at most 10% of that margin. Tokens without an expiry or a refresh token have no
 * refresh time.
 */
export function planRefresh(
  tokens: TokenSet | undefined,
  options: { readonly now: number; readonly margin: number; readonly random: number },
): number | undefined {
  if (tokens?.expiresAt === undefined || tokens.refreshToken === undefined) return undefined
  const margin = effectiveMargin(tokens, options.margin, options.now)
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
