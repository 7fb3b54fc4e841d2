import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'

const LIFETIME = 2_000
const ctx = useDevProvider({ accessTokenTtl: LIFETIME })

describe('access tokens that live a couple of seconds', () => {
  it('are served for half their life and refreshed about once per half-life, not on every call', async () => {
    const kw = ctx.keyway({ transport: scriptedTransport() })
    await kw.login()
    const seen = new Set<string>()
    const until = Date.now() + 3 * LIFETIME
    let calls = 0
    while (Date.now() < until) {
      seen.add(await kw.getAccessToken())
      calls++
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const refreshes = ctx.dev.counters.grants.refresh_token ?? 0
    // Six seconds of 2-second tokens, renewed at half their life: about six refreshes.
    expect(calls).toBeGreaterThan(300)
    expect(refreshes).toBeGreaterThanOrEqual(3)
    expect(refreshes).toBeLessThanOrEqual(8)
    expect(seen.size).toBe(refreshes + 1)
  })
})
