import { memoryStore } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'

const ctx = useDevProvider({ dpop: false })

describe('DPoP asked of a provider that does not know it', () => {
  it('takes the Bearer tokens it answers, keeps no key, and calls APIs with Bearer', async () => {
    const store = memoryStore()
    const kw = ctx.keyway({ dpop: true, store, transport: scriptedTransport() })
    const tokens = await kw.login()
    expect(tokens.tokenType).toBe('Bearer')
    expect(tokens.dpopKey).toBeUndefined()
    expect((await store.load(ctx.keyOf()))?.dpopKey).toBeUndefined()

    const headers = await kw.authorizationHeaders('GET', 'https://api.example.com/me')
    expect(Object.keys(headers)).toEqual(['authorization'])
    expect(headers.authorization === `Bearer ${tokens.accessToken}`).toBe(true)

    // A refresh stays Bearer, with no key made on the way.
    const refreshed = await kw.getTokens({ forceRefresh: true })
    expect(refreshed.tokenType).toBe('Bearer')
    expect(refreshed.dpopKey).toBeUndefined()
    expect(ctx.dev.counters.grants).toMatchObject({ authorization_code: 1, refresh_token: 1 })
  })
})
