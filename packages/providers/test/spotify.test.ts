import { spotify } from '@keyway/providers'
import { s256 } from '@keyway/testing/imitations'
import { describe, expect, it } from 'vitest'
import { startSpotify } from './support/imitations.js'
import { startLogin } from './support/login.js'

const playlistScopes = 'playlist-read-private playlist-read-collaborative'

describe('spotify against its imitation', () => {
  it('logs in as a public client with PKCE on 127.0.0.1, then a refresh rotates the refresh token', async () => {
    const imitation = await startSpotify()
    const run = startLogin(
      spotify,
      spotify.options({
        clientId: imitation.client.id,
        scopes: playlistScopes,
        baseUrl: imitation.base,
      }),
    )
    const tokens = await run.done

    const [authorize] = imitation.to('/authorize', 'GET')
    const query = authorize!.url.searchParams
    expect(query.get('scope')).toBe(playlistScopes)
    expect(query.get('code_challenge_method')).toBe('S256')
    expect(new URL(query.get('redirect_uri')!).hostname).toBe('127.0.0.1')
    const [exchange] = imitation.to('/api/token', 'POST')
    expect(exchange!.status).toBe(200)
    expect(s256(exchange!.form.get('code_verifier')!)).toBe(query.get('code_challenge'))
    expect(exchange!.headers.authorization).toBeUndefined()
    expect(exchange!.form.has('client_secret')).toBe(false)
    const [first] = imitation.server.issued
    expect(first!.clientAuth).toBe('none')
    expect(tokens).toMatchObject({
      accessToken: first!.accessToken,
      refreshToken: first!.refreshToken,
      scope: playlistScopes,
    })

    const refreshed = await run.kw.getTokens({ forceRefresh: true })
    const second = imitation.server.issued[1]!
    expect(second.grantType).toBe('refresh_token')
    expect(refreshed.accessToken).toBe(second.accessToken)
    expect(refreshed.refreshToken).toBe(second.refreshToken)
    expect(second.refreshToken).not.toBe(first!.refreshToken)
    expect(imitation.server.isLive(first!.refreshToken!)).toBe(false)
    const key = {
      issuer: new URL(imitation.base).origin,
      clientId: imitation.client.id,
      profile: 'default',
    }
    expect((await run.store.load(key))?.refreshToken).toBe(second.refreshToken)
  })

  it('ends the grant with login_required once Spotify no longer knows the refresh token', async () => {
    const imitation = await startSpotify()
    const run = startLogin(
      spotify,
      spotify.options({ clientId: imitation.client.id, baseUrl: imitation.base }),
    )
    await run.done
    imitation.server.revokeAll()

    await expect(run.kw.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({
      code: 'login_required',
      error: 'invalid_grant',
    })
    expect(imitation.to('/api/token', 'POST').at(-1)?.status).toBe(400)
    expect(run.kw.state).toBe('loginRequired')
  })

  it('authenticates a confidential client with HTTP Basic, keeping the secret out of the body', async () => {
    const imitation = await startSpotify()
    const run = startLogin(
      spotify,
      spotify.options({
        clientId: imitation.client.id,
        clientSecret: imitation.client.secret,
        baseUrl: imitation.base,
      }),
    )
    await run.done
    const [exchange] = imitation.to('/api/token', 'POST')
    expect(exchange!.headers.authorization).toMatch(/^Basic /)
    expect(exchange!.form.has('client_secret')).toBe(false)
    expect(imitation.server.issued[0]!.clientAuth).toBe('basic')
  })

  it('is refused by Spotify on a localhost redirect URI, which is why the preset asks for 127.0.0.1', async () => {
    expect(spotify).toMatchObject({ loopbackHost: '127.0.0.1', refusesLocalhost: true })
    const imitation = await startSpotify()
    const cancel = new AbortController()
    const refusals: { status: number; text: string }[] = []
    const run = startLogin(
      spotify,
      spotify.options({ clientId: imitation.client.id, baseUrl: imitation.base }),
      {
        signal: cancel.signal,
        // The same request with the redirect URI on localhost, as a receiver there would send it.
        open: async (url) => {
          const authorization = new URL(url)
          const redirectUri = new URL(authorization.searchParams.get('redirect_uri')!)
          redirectUri.hostname = 'localhost'
          authorization.searchParams.set('redirect_uri', redirectUri.href)
          const response = await fetch(authorization, { redirect: 'manual' })
          refusals.push({ status: response.status, text: await response.text() })
          cancel.abort()
        },
      },
    )

    await expect(run.done).rejects.toMatchObject({ code: 'aborted' })
    expect(refusals).toEqual([{ status: 400, text: 'INVALID_CLIENT: Insecure redirect URI' }])
    expect(imitation.server.issued).toEqual([])
  })

  it('imitates the PKCE check: a missing or wrong code_verifier is refused', async () => {
    const imitation = await startSpotify()
    const verifier = 'a-verifier-that-is-long-enough-for-rfc-7636-section-4-1-rules'
    const codeFor = async () => {
      const authorize = new URL(`${imitation.base}/authorize`)
      authorize.search = new URLSearchParams({
        client_id: imitation.client.id,
        response_type: 'code',
        redirect_uri: 'http://127.0.0.1:9/callback',
        code_challenge: s256(verifier),
        code_challenge_method: 'S256',
      }).toString()
      const response = await fetch(authorize, { redirect: 'manual' })
      return new URL(response.headers.get('location')!).searchParams.get('code')!
    }
    const redeem = async (extra: Record<string, string>) => {
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: imitation.client.id,
        redirect_uri: 'http://127.0.0.1:9/callback',
        code: await codeFor(),
        ...extra,
      })
      const response = await fetch(`${imitation.base}/api/token`, { method: 'POST', body })
      return { status: response.status, body: await response.json() }
    }

    expect(await redeem({})).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    expect(await redeem({ code_verifier: `${verifier}x` })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'code_verifier was incorrect' },
    })
    expect(await redeem({ code_verifier: verifier })).toMatchObject({ status: 200 })
  })
})
