const units = [
  { ms: 86_400_000, one: 'day', many: 'days' },
  { ms: 3_600_000, one: 'hour', many: 'hours' },
  { ms: 60_000, one: 'minute', many: 'minutes' },
  { ms: 1_000, one: 'second', many: 'seconds' },
] as const

/** A duration for people, in its largest whole unit: `59 minutes`, `1 hour`, `12 seconds`. */
export function humanDuration(ms: number): string {
  const span = Math.abs(ms)
  const unit = units.find((candidate) => span >= candidate.ms * (candidate.ms === 1_000 ? 1 : 2))
  const chosen = unit ?? units[3]
  const count = Math.round(span / chosen.ms)
  return `${count} ${count === 1 ? chosen.one : chosen.many}`
}

/**
 * When a token expires, for people: `in 59 minutes (2026-01-01T12:00:00Z)`, or
 * `3 minutes ago (…)`; `no expiry given` when the provider did not say.
 */
export function expiryPhrase(expiresAt: number | undefined, now: number): string {
  if (expiresAt === undefined) return 'no expiry given'
  const at = isoSeconds(expiresAt)
  return expiresAt > now
    ? `in ${humanDuration(expiresAt - now)} (${at})`
    : `${humanDuration(now - expiresAt)} ago (${at})`
}

/** An ISO 8601 UTC time to the second: `2026-01-01T12:00:00Z`. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
