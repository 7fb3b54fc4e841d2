import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'

const ctx = useDevProvider({ requireDPoPNonce: true })

describe('DPoP at a provider that requires its own nonce in every proof', () => {
  it('logs in and refreshes: answering the use_dpop_nonce challenge once, and keeping the nonce', async () => {
    const kw = ctx.keyway({
      clientId: ctx.dev.clients.dpop.clientId,
      dpop: true,
      transport: scriptedTransport(),
    })
    const first = await kw.login()
    expect(first.tokenType).toBe('DPoP')
    expect(ctx.dev.counters.grantErrors).toEqual({ 'authorization_code:use_dpop_nonce': 1 })
    const second = await kw.getTokens({ forceRefresh: true })
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(ctx.dev.counters.grants).toMatchObject({ authorization_code: 1, refresh_token: 1 })
    // The nonce the exchange was given is kept with the key: the refresh is not challenged.
    expect(ctx.dev.counters.grantErrors).toEqual({ 'authorization_code:use_dpop_nonce': 1 })
  })
})
