import { KeywayErrorCodes } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'
import { recordingUrls } from './support/recording-transport.js'
import { rejection } from './support/rejection.js'

const API = 'https://api.example.test/'
const ctx = useDevProvider({ resourceServers: [API] })

/** The claims of a JWT access token (read, not verified: the test asks what was issued). */
function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

describe('resource indicators (RFC 8707) against the dev provider', () => {
  it('asks for the resource on login and on refresh: both access tokens have it as aud', async () => {
    const urls: URL[] = []
    const kw = ctx.keyway({
      scopes: ['openid', 'offline_access', 'api:read'],
      resource: API,
      transport: recordingUrls(scriptedTransport(), urls),
    })
    const first = await kw.login()
    expect(urls[0]!.searchParams.getAll('resource')).toEqual([API])
    expect(claims(first.accessToken)).toMatchObject({ aud: API, scope: 'api:read' })
    const second = await kw.getTokens({ forceRefresh: true })
    expect(second.accessToken).not.toBe(first.accessToken)
    expect(claims(second.accessToken)).toMatchObject({ aud: API })
  })

  it('binds a resource token to the DPoP key too (cnf.jkt in the JWT)', async () => {
    const kw = ctx.keyway({
      clientId: ctx.dev.clients.dpop.clientId,
      scopes: ['openid', 'offline_access', 'api:read'],
      resource: [API],
      dpop: true,
      transport: scriptedTransport(),
    })
    const tokens = await kw.login()
    expect(tokens.tokenType).toBe('DPoP')
    expect(claims(tokens.accessToken)).toMatchObject({ aud: API, cnf: { jkt: expect.any(String) } })
  })

  it('a resource the provider does not serve is its invalid_target', async () => {
    const kw = ctx.keyway({
      resource: 'https://elsewhere.example.test/',
      transport: scriptedTransport(),
    })
    const error = await rejection(kw.login())
    expect(error.code).toBe(KeywayErrorCodes.providerError)
    expect(error.error).toBe('invalid_target')
  })

  it('refuses a resource that is not an absolute URI, or has a fragment, before any request', () => {
    for (const resource of ['api', 'https://api.example.test/#part', []]) {
      expect(() => ctx.keyway({ resource })).toThrow(
        expect.objectContaining({ code: 'config_error' }),
      )
    }
  })

  it("resourceParameter 'audience' sends one audience on the authorization request", async () => {
    const urls: URL[] = []
    const kw = ctx.keyway({
      resource: 'my-api',
      resourceParameter: 'audience',
      transport: recordingUrls(scriptedTransport(), urls),
    })
    await kw.login()
    expect(urls[0]!.searchParams.getAll('audience')).toEqual(['my-api'])
    expect(urls[0]!.searchParams.has('resource')).toBe(false)
    expect(() => ctx.keyway({ resource: ['a', 'b'], resourceParameter: 'audience' })).toThrow(
      expect.objectContaining({ code: 'config_error' }),
    )
  })
})
