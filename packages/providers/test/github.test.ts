import { PassThrough } from 'node:stream'
import { createKeyway, memoryStore } from '@keyway/core'
import { device } from '@keyway/device'
import { github } from '@keyway/providers'
import { describe, expect, it, onTestFinished } from 'vitest'
import { startGitHub } from './support/imitations.js'
import { startLogin } from './support/login.js'

const TOKEN_PATH = '/login/oauth/access_token'
const EIGHT_HOURS = 8 * 3600 * 1000

describe('github against its imitation', () => {
  it('logs in an OAuth App: JSON asked for, secret in the body, scopes space-separated, no refresh token', async () => {
    const imitation = await startGitHub()
    const run = startLogin(
      github,
      github.options({
        clientId: imitation.client.id,
        clientSecret: imitation.client.secret,
        scopes: 'repo read:user',
        baseUrl: imitation.base,
      }),
    )
    const tokens = await run.done

    const [authorize] = imitation.to('/login/oauth/authorize', 'GET')
    expect(authorize!.url.searchParams.get('scope')).toBe('repo read:user')
    const [exchange] = imitation.to(TOKEN_PATH, 'POST')
    expect(exchange!.headers.accept).toContain('application/json')
    expect(exchange!.form.get('client_secret')).toBe(imitation.client.secret)
    expect(exchange!.headers.authorization).toBeUndefined()
    const [issued] = imitation.server.issued
    expect(tokens).toEqual({
      accessToken: issued!.accessToken,
      tokenType: 'Bearer',
      scope: 'repo read:user',
      obtainedAt: expect.any(Number),
    })
  })

  it('answers form-encoded, with HTTP 200 even for an error, unless asked for JSON', async () => {
    const imitation = await startGitHub()
    const response = await fetch(`${imitation.base}${TOKEN_PATH}`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: imitation.client.id,
        client_secret: imitation.client.secret,
        code: 'not-a-code',
      }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/x-www-form-urlencoded')
    expect(new URLSearchParams(await response.text()).get('error')).toBe('bad_verification_code')
  })

  it('reads a code exchange refused with HTTP 200 as the provider error it is', async () => {
    const imitation = await startGitHub()
    const run = startLogin(
      github,
      github.options({ clientId: imitation.client.id, baseUrl: imitation.base }),
    )

    await expect(run.done).rejects.toMatchObject({
      code: 'provider_error',
      error: 'incorrect_client_credentials',
    })
    const [exchange] = imitation.to(TOKEN_PATH, 'POST')
    expect(exchange!.status).toBe(200)
    expect(imitation.server.issued).toEqual([])
  })

  it('refreshes a GitHub App user token, rotating it; a dead one ends the grant with login_required', async () => {
    const imitation = await startGitHub({ expiringUserTokens: true })
    const startedAt = Date.now()
    const run = startLogin(
      github,
      github.options({
        clientId: imitation.client.id,
        clientSecret: imitation.client.secret,
        baseUrl: imitation.base,
      }),
    )
    const tokens = await run.done
    const first = imitation.server.issued[0]!
    expect(tokens.refreshToken).toBe(first.refreshToken)
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(startedAt + EIGHT_HOURS)

    const refreshed = await run.kw.getTokens({ forceRefresh: true })
    const second = imitation.server.issued[1]!
    expect(second).toMatchObject({ grantType: 'refresh_token', clientAuth: 'post' })
    expect(refreshed).toMatchObject({
      accessToken: second.accessToken,
      refreshToken: second.refreshToken,
    })
    expect(second.refreshToken).not.toBe(first.refreshToken)

    imitation.server.revokeAll()
    await expect(run.kw.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({
      code: 'login_required',
      error: 'invalid_grant',
    })
    const refusal = imitation.to(TOKEN_PATH, 'POST').at(-1)!
    expect(refusal.status).toBe(200)
    expect(refusal.form.get('refresh_token')).toBe(second.refreshToken)
    expect(run.kw.state).toBe('loginRequired')
  })

  it('logs in by the device flow through authorization_pending and slow_down, both sent with HTTP 200', async () => {
    const imitation = await startGitHub({
      devicePolls: ['authorization_pending', 'slow_down'],
      deviceInterval: 0.01,
    })
    const output = new PassThrough()
    let shown = ''
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString('utf8')
    })
    const kw = createKeyway({
      ...github.options({
        clientId: imitation.client.id,
        scopes: ['read:user', 'gist'],
        baseUrl: imitation.base,
      }),
      transport: device({ output }),
      store: memoryStore(),
    })
    onTestFinished(() => kw.stop())

    const tokens = await kw.login()
    expect(imitation.devicePolls).toEqual(['authorization_pending', 'slow_down', 'tokens'])
    const polls = imitation.to(TOKEN_PATH, 'POST')
    expect(polls.map((poll) => poll.status)).toEqual([200, 200, 200])
    expect(polls.every((poll) => !poll.form.has('client_secret'))).toBe(true)
    const [codeRequest] = imitation.to('/login/device/code', 'POST')
    expect(codeRequest!.headers.accept).toContain('application/json')
    expect(codeRequest!.form.get('scope')).toBe('read:user gist')
    expect(shown).toContain(`${imitation.base}/login/device`)
    expect(shown).toContain('WDJB-MJHT')
    expect(tokens).toMatchObject({
      accessToken: imitation.server.issued[0]!.accessToken,
      scope: 'read:user gist',
    })
  }, 20_000)
})
