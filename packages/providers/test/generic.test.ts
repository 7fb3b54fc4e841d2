import { generic } from '@keyway/providers'
import { ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startSpotify } from './support/imitations.js'
import { startLogin } from './support/login.js'

describe('generic', () => {
  it('logs in by discovery at a real OpenID Provider, and refreshes', async () => {
    const dev = await startDevProvider()
    onTestFinished(() => dev.close())
    const options = generic.options({ issuer: dev.issuer, clientId: dev.clients.native.clientId })
    expect(options.scopes).toEqual(['openid', 'offline_access'])
    const run = startLogin(generic, options, {
      open: async (url) => {
        await new ScriptedBrowser().authorize(url)
      },
    })
    const tokens = await run.done
    expect(tokens).toMatchObject({ idToken: expect.any(String), refreshToken: expect.any(String) })
    expect(dev.counters.requests.discovery).toBeGreaterThanOrEqual(1)

    const refreshed = await run.kw.getTokens({ forceRefresh: true })
    expect(refreshed.accessToken).not.toBe(tokens.accessToken)
    expect(dev.counters.grants.refresh_token).toBe(1)
  })

  it('logs in with explicit endpoints at a plain OAuth 2.0 server, asking for no scope by default', async () => {
    const imitation = await startSpotify()
    const options = generic.options({
      clientId: imitation.client.id,
      endpoints: {
        authorization: `${imitation.base}/authorize`,
        token: `${imitation.base}/api/token`,
      },
    })
    expect(options.scopes).toEqual([])
    const run = startLogin(generic, options)
    const tokens = await run.done
    expect(imitation.to('/authorize', 'GET')[0]!.url.searchParams.has('scope')).toBe(false)
    expect(tokens.accessToken).toBe(imitation.server.issued[0]!.accessToken)
  })

  it('passes a resource on, as RFC 8707 resource indicators unless told audience', async () => {
    const dev = await startDevProvider({ resourceServers: ['https://api.example.test/'] })
    onTestFinished(() => dev.close())
    expect(generic.resourceParameter).toBe('resource')
    const options = generic.options({
      issuer: dev.issuer,
      clientId: dev.clients.native.clientId,
      scopes: ['openid', 'offline_access', 'api:read'],
      resource: 'https://api.example.test/',
    })
    expect(options).toMatchObject({ resource: 'https://api.example.test/' })
    const run = startLogin(generic, options, {
      open: async (url) => {
        await new ScriptedBrowser().authorize(url)
      },
    })
    const { accessToken } = await run.done
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString())
    expect(claims.aud).toBe('https://api.example.test/')
    const audience = generic.options({
      issuer: dev.issuer,
      clientId: 'app',
      resource: 'https://api.example.test',
      resourceParameter: 'audience',
    })
    expect(audience).toMatchObject({ resourceParameter: 'audience' })
  })
})
