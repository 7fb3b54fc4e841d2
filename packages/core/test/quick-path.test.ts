import { describe, expect, it } from 'vitest'
import { quickAnswer, viewRestored } from '../src/keyway/quick-path.js'
import type { TokenSet } from '../src/tokens.js'

const NOW = 1_800_000_000_000
const plan = { now: NOW, margin: 60_000, random: 0 }

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'at-value',
    tokenType: 'Bearer',
    expiresAt: NOW + 3_600_000,
    refreshToken: 'rt-value',
    ...overrides,
  }
}

describe('the grant read at start, before any machine', () => {
  it('serves a fresh token and plans its refresh at expiry minus the margin', () => {
    const view = viewRestored(tokens(), plan)
    expect(view).not.toBe('start the machine')
    if (view === 'start the machine') return
    expect(view.state).toBe('authorized')
    expect(view.refreshAt).toBe(NOW + 3_600_000 - 60_000)
  })

  it('starts the machine for an expired grant it can refresh', () => {
    expect(viewRestored(tokens({ expiresAt: NOW - 1 }), plan)).toBe('start the machine')
  })

  it('needs a login for an expired grant without a refresh token, and for none', () => {
    const expired = viewRestored(tokens({ expiresAt: NOW - 1, refreshToken: undefined }), plan)
    expect(expired).toEqual({ state: 'loginRequired' })
    expect(viewRestored(undefined, plan)).toEqual({ state: 'idle' })
  })
})

describe('a token asked for before the machine starts', () => {
  const wanted = { forceRefresh: false, minTtl: 5_000, now: NOW }

  it('is the held token while it has more than minTtl left', () => {
    const held = tokens()
    expect(quickAnswer('authorized', held, wanted) === held).toBe(true)
    expect(quickAnswer('authorized', held, { ...wanted, now: NOW + 3_596_000 })).toBeUndefined()
    expect(quickAnswer('authorized', held, { ...wanted, forceRefresh: true })).toBeUndefined()
  })

  it('is a login_required error when there is no grant to refresh', () => {
    expect(() => quickAnswer('idle', undefined, wanted)).toThrow(/No one is logged in/)
    expect(() => quickAnswer('loginRequired', undefined, wanted)).toThrow(/no refresh token/)
  })
})
