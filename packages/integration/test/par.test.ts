import { KeywayErrorCodes } from '@keyway/core'
import { scriptedTransport } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'
import { recordingUrls } from './support/recording-transport.js'
import { rejection } from './support/rejection.js'

/** The names of the query parameters of `url`, sorted. */
function parameterNames(url: URL): string[] {
  return [...new Set(url.searchParams.keys())].sort()
}

describe('pushed authorization requests, with a client the provider makes use them', () => {
  const ctx = useDevProvider()

  it('pushedAuthorization: the authorization URL carries only client_id and request_uri', async () => {
    const urls: URL[] = []
    const kw = ctx.keyway({
      clientId: ctx.dev.clients.par.clientId,
      pushedAuthorization: true,
      transport: recordingUrls(scriptedTransport(), urls),
    })
    const tokens = await kw.login()
    expect(tokens.refreshToken).toBeTruthy()
    expect(urls.map(parameterNames)).toEqual([['client_id', 'request_uri']])
    expect(urls[0]!.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/)
    expect(ctx.dev.counters.grants.authorization_code).toBe(1)
  })

  it('without it, the provider refuses the request: the login fails with its error', async () => {
    const urls: URL[] = []
    const kw = ctx.keyway({
      clientId: ctx.dev.clients.par.clientId,
      transport: recordingUrls(scriptedTransport(), urls),
    })
    const error = await rejection(kw.login())
    expect(error.code).toBe(KeywayErrorCodes.providerError)
    expect(error.error).toBe('invalid_request')
    expect(urls[0]!.searchParams.has('code_challenge')).toBe(true)
  })
})

describe('a provider whose metadata requires pushed authorization requests', () => {
  const ctx = useDevProvider({ requirePushedAuthorizationRequests: true })

  it('gets PAR without being told: only client_id and request_uri in the URL', async () => {
    const urls: URL[] = []
    const kw = ctx.keyway({ transport: recordingUrls(scriptedTransport(), urls) })
    await kw.login()
    expect(urls.map(parameterNames)).toEqual([['client_id', 'request_uri']])
  })
})

describe('a provider that does not require PAR', () => {
  const ctx = useDevProvider()

  it('gets the parameters in the query, as before', async () => {
    const urls: URL[] = []
    const kw = ctx.keyway({ transport: recordingUrls(scriptedTransport(), urls) })
    await kw.login()
    expect(parameterNames(urls[0]!)).toEqual(
      expect.arrayContaining(['client_id', 'code_challenge', 'redirect_uri', 'scope', 'state']),
    )
    expect(urls[0]!.searchParams.has('request_uri')).toBe(false)
  })
})
