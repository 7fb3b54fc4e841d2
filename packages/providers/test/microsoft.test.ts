import { generic, microsoft } from '@keyway/providers'
import { describe, expect, it } from 'vitest'
import { ENTRA_ORIGIN, routedBrowser, routedFetch, startEntra } from './support/entra.js'
import { startLogin } from './support/login.js'

/** The claims of a JWT, read without checking it (openid-client checked it). */
function claimsOf(jwt: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt?.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

describe('microsoft against its Entra imitation', () => {
  it('puts the tenant in the issuer, always asks for offline_access, and rotates refresh tokens', async () => {
    const imitation = await startEntra()
    const tenant = imitation.homeTenant
    const options = microsoft.options({
      clientId: imitation.client.id,
      tenant,
      scopes: 'openid profile User.Read',
      baseUrl: imitation.base,
    })
    expect(options.issuer).toBe(`${imitation.base}/${tenant}/v2.0`)
    const run = startLogin(microsoft, options)
    const tokens = await run.done

    expect(imitation.to(`/${tenant}/v2.0/.well-known/openid-configuration`, 'GET')).toHaveLength(1)
    const [authorize] = imitation.to(`/${tenant}/oauth2/v2.0/authorize`, 'GET')
    expect(authorize!.url.searchParams.get('scope')).toBe('openid profile User.Read offline_access')
    const [exchange] = imitation.to(`/${tenant}/oauth2/v2.0/token`, 'POST')
    expect(exchange!.form.has('client_secret')).toBe(false)
    expect(exchange!.form.get('code_verifier')).toEqual(expect.any(String))
    const first = imitation.server.issued[0]!
    expect(tokens).toMatchObject({
      accessToken: first.accessToken,
      refreshToken: first.refreshToken,
    })
    expect(claimsOf(tokens.idToken)).toMatchObject({ iss: options.issuer, tid: tenant })

    const refreshed = await run.kw.getTokens({ forceRefresh: true })
    const second = imitation.server.issued[1]!
    expect(refreshed.refreshToken).toBe(second.refreshToken)
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(imitation.server.isLive(first.refreshToken!)).toBe(false)
  })

  it('logs in on the common tenant, whose issuer is {tenantid}, with the ID token of the home tenant', async () => {
    const imitation = await startEntra({ publicOrigin: ENTRA_ORIGIN })
    const options = microsoft.options({
      clientId: imitation.client.id,
      fetch: routedFetch(imitation.base),
    })
    expect(options.issuer).toBe(`${ENTRA_ORIGIN}/common/v2.0`)
    const run = startLogin(microsoft, options, { open: routedBrowser(imitation.base) })
    const tokens = await run.done

    const [document] = imitation.to('/common/v2.0/.well-known/openid-configuration', 'GET')
    const discovered = (await fetch(document!.url)).json() as Promise<{ issuer: string }>
    expect((await discovered).issuer).toBe(`${ENTRA_ORIGIN}/{tenantid}/v2.0`)
    expect(claimsOf(tokens.idToken)).toMatchObject({
      iss: `${ENTRA_ORIGIN}/${imitation.homeTenant}/v2.0`,
      tid: imitation.homeTenant,
    })
    expect(tokens.refreshToken).toBe(imitation.server.issued[0]!.refreshToken)
  })

  it('refuses an ID token on the common tenant whose issuer is not its own tid', async () => {
    const imitation = await startEntra({
      publicOrigin: ENTRA_ORIGIN,
      idTokenIssuer: (origin) => `${origin}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0`,
    })
    const run = startLogin(
      microsoft,
      microsoft.options({ clientId: imitation.client.id, fetch: routedFetch(imitation.base) }),
      { open: routedBrowser(imitation.base) },
    )
    await expect(run.done).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('unexpected JWT claim value'),
    })
    expect(imitation.server.issued).toHaveLength(1)
  })

  it('issues no refresh token without offline_access, which is why the preset adds it', async () => {
    const imitation = await startEntra()
    const run = startLogin(
      generic,
      generic.options({
        clientId: imitation.client.id,
        issuer: `${imitation.base}/${imitation.homeTenant}/v2.0`,
        scopes: 'openid profile',
      }),
    )
    const tokens = await run.done
    expect(tokens.accessToken).toBe(imitation.server.issued[0]!.accessToken)
    expect(tokens.refreshToken).toBeUndefined()
  })
})
