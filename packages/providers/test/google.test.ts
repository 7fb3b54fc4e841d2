import type { KeywayError } from '@keyway/core'
import { generic, google } from '@keyway/providers'
import { describe, expect, it } from 'vitest'
import { startGoogle } from './support/google.js'
import { startLogin } from './support/login.js'

const grantedScopes =
  'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile'

describe('google against its imitation', () => {
  it('discovers, sends the desktop secret, gets a refresh token that refreshes keep, and logs out', async () => {
    const imitation = await startGoogle()
    const run = startLogin(
      google,
      google.options({
        clientId: imitation.client.id,
        clientSecret: imitation.client.secret,
        baseUrl: imitation.base,
      }),
    )
    const errors: KeywayError[] = []
    run.kw.on('error', (error) => errors.push(error))
    const tokens = await run.done

    expect(imitation.to('/.well-known/openid-configuration', 'GET')).toHaveLength(1)
    const query = imitation.to('/o/oauth2/v2/auth', 'GET')[0]!.url.searchParams
    expect(query.get('access_type')).toBe('offline')
    expect(query.get('prompt')).toBe('consent')
    expect(query.get('scope')).toBe('openid email profile')
    const [exchange] = imitation.to('/token', 'POST')
    expect(exchange!.form.get('client_secret')).toBe(imitation.client.secret)
    expect(exchange!.headers.authorization).toBeUndefined()
    const first = imitation.server.issued[0]!
    expect(first.clientAuth).toBe('post')
    expect(tokens).toMatchObject({
      accessToken: first.accessToken,
      refreshToken: first.refreshToken,
      idToken: expect.any(String),
      scope: grantedScopes,
    })

    const refreshed = await run.kw.getTokens({ forceRefresh: true })
    const second = imitation.server.issued[1]!
    expect(second).toMatchObject({ grantType: 'refresh_token', refreshToken: undefined })
    expect(refreshed.accessToken).toBe(second.accessToken)
    expect(refreshed.refreshToken).toBe(first.refreshToken)

    await run.kw.logout()
    const revocations = imitation.to('/revoke', 'POST')
    expect(revocations.map((request) => request.form.get('token'))).toEqual([
      first.refreshToken,
      second.accessToken,
    ])
    // Google refuses the access token its refresh token's revocation already ended.
    expect(revocations.map((request) => request.status)).toEqual([200, 400])
    expect(errors).toEqual([])
    expect(imitation.server.isLive(first.refreshToken!)).toBe(false)
    expect(run.kw.state).toBe('idle')
  })

  it('demands the client secret: the preset asks for it, and Google refuses a token request without it', async () => {
    const imitation = await startGoogle()
    expect(() =>
      google.options({ clientId: imitation.client.id, baseUrl: imitation.base }),
    ).toThrow(expect.objectContaining({ code: 'config_error' }))

    const run = startLogin(
      generic,
      generic.options({ clientId: imitation.client.id, issuer: imitation.base }),
    )
    await expect(run.done).rejects.toMatchObject({
      code: 'provider_error',
      error: 'invalid_request',
      errorDescription: 'client_secret is missing.',
    })
  })

  it('issues no refresh token without prompt=consent, which is why the preset sends it', async () => {
    const imitation = await startGoogle()
    const run = startLogin(
      generic,
      generic.options({
        clientId: imitation.client.id,
        clientSecret: imitation.client.secret,
        clientAuth: 'client_secret_post',
        issuer: imitation.base,
        scopes: 'openid email',
        authorizationParams: { access_type: 'offline' },
      }),
    )
    const tokens = await run.done
    expect(tokens.accessToken).toBe(imitation.server.issued[0]!.accessToken)
    expect(tokens.refreshToken).toBeUndefined()
  })
})
