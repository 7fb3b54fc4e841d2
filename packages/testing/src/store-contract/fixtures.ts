import { randomBytes, randomUUID } from 'node:crypto'
import { DEFAULT_PROFILE, type StoreKey, type TokenSet } from '@keyway/core'

const run = randomUUID().slice(0, 8)
let keys = 0

/** A key no other test uses, so tests on one backend never see each other's records. */
export function uniqueKey(overrides: Partial<StoreKey> = {}): StoreKey {
  keys += 1
  return {
    issuer: `https://issuer-${run}.example.test/tenant-${keys}`,
    clientId: 'contract-client',
    profile: DEFAULT_PROFILE,
    ...overrides,
  }
}

/** Random bytes as base64url, the form of a JWK's coordinates. */
const coordinate = () => randomBytes(32).toString('base64url')

/**
 * A token set with every field set, whose values are marked by `label`: a DPoP-bound one, so
 * that every store shows it keeps the private key with the grant.
 */
export function fullTokens(label: string): TokenSet {
  return {
    accessToken: `access-${label}-${randomUUID()}`,
    tokenType: 'DPoP',
    expiresAt: Date.now() + 3_600_000,
    refreshToken: `refresh-${label}-${randomUUID()}`,
    idToken: `header.${label}.signature`,
    scope: 'openid offline_access',
    dpopKey: { kty: 'EC', crv: 'P-256', x: coordinate(), y: coordinate(), d: coordinate() },
  }
}

/** The least a token set holds: no expiry, no refresh token. */
export function minimalTokens(label: string): TokenSet {
  return { accessToken: `access-${label}-${randomUUID()}`, tokenType: 'Bearer' }
}

/** Tokens that carry a number, for the lock cases' read-modify-write counter. */
export function counterTokens(count: number): TokenSet {
  return { accessToken: `count-${count}`, tokenType: 'Bearer' }
}

/** The number {@link counterTokens} stored; -1 when nothing is stored. */
export function countOf(tokens: TokenSet | undefined): number {
  return tokens === undefined ? -1 : Number(tokens.accessToken.slice('count-'.length))
}

/** A secret-looking marker that corrupt data carries: no error may repeat it. */
export const CORRUPT_MARKER = `corrupt-secret-${run}`

/** Damaged records a store may meet: not JSON, JSON of the wrong shape, an unknown version. */
export const corruptRecords: Readonly<Record<string, string>> = {
  'text that is not JSON': `{"version":1,"tokens":{"accessToken":"${CORRUPT_MARKER}"`,
  'JSON of the wrong shape': JSON.stringify({
    version: 1,
    tokens: { accessToken: CORRUPT_MARKER },
  }),
  'an unknown schema version': JSON.stringify({
    version: 99,
    savedAt: 0,
    tokens: { accessToken: CORRUPT_MARKER, tokenType: 'Bearer' },
  }),
}
