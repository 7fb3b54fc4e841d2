import { createKeyway } from '@keyway/core'
import {
  type AnyProviderInput,
  type GenericInput,
  generic,
  getProvider,
  github,
  google,
  isProviderName,
  type MicrosoftInput,
  microsoft,
  type ProviderInput,
  type ProviderPreset,
  providerNames,
  providers,
  spotify,
} from '@keyway/providers'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { normalizeGitHubTokenBody } from '../src/github-fetch.js'

const configError = expect.objectContaining({ code: 'config_error' })

describe('the registry', () => {
  it('names every preset, and finds each by name', () => {
    expect(providerNames).toEqual(['spotify', 'github', 'google', 'microsoft', 'generic'])
    for (const name of providerNames) {
      expect(getProvider(name)).toBe(providers[name])
      expect(getProvider(name).name).toBe(name)
      expect(isProviderName(name)).toBe(true)
    }
    expect(isProviderName('toString')).toBe(false)
  })

  it('refuses an unknown name with a config_error that lists the presets', () => {
    expect(() => getProvider('gitlab')).toThrow(
      expect.objectContaining({
        code: 'config_error',
        message: expect.stringContaining('spotify, github, google, microsoft, generic'),
      }),
    )
  })

  it('tells a CLI what it needs before the login', () => {
    const facts = providerNames.map((name) => {
      const { displayName, defaultScopes, discovery, deviceGrant, clientSecret } = providers[name]
      const { loopbackHost, refusesLocalhost } = providers[name]
      return [
        name,
        {
          displayName,
          defaultScopes,
          discovery,
          deviceGrant,
          clientSecret,
          loopbackHost,
          refusesLocalhost,
        },
      ]
    })
    expect(Object.fromEntries(facts)).toEqual({
      spotify: {
        displayName: 'Spotify',
        defaultScopes: [],
        discovery: false,
        deviceGrant: 'unsupported',
        clientSecret: 'optional',
        loopbackHost: '127.0.0.1',
        refusesLocalhost: true,
      },
      github: {
        displayName: 'GitHub',
        defaultScopes: [],
        discovery: false,
        deviceGrant: 'supported',
        clientSecret: 'browserFlow',
        loopbackHost: '127.0.0.1',
        refusesLocalhost: false,
      },
      google: {
        displayName: 'Google',
        defaultScopes: ['openid', 'email', 'profile'],
        discovery: true,
        deviceGrant: 'supported',
        clientSecret: 'required',
        loopbackHost: '127.0.0.1',
        refusesLocalhost: false,
      },
      microsoft: {
        displayName: 'Microsoft Entra ID',
        defaultScopes: ['openid', 'profile', 'offline_access'],
        discovery: true,
        deviceGrant: 'supported',
        clientSecret: 'optional',
        loopbackHost: '127.0.0.1',
        refusesLocalhost: false,
      },
      generic: {
        displayName: 'OpenID Connect',
        defaultScopes: ['openid', 'offline_access'],
        discovery: true,
        deviceGrant: 'whenAdvertised',
        clientSecret: 'optional',
        loopbackHost: '127.0.0.1',
        refusesLocalhost: false,
      },
    })
  })

  it('types each preset by what it takes, and the lookup by every field', () => {
    expectTypeOf(spotify).toEqualTypeOf<ProviderPreset<ProviderInput>>()
    expectTypeOf(microsoft).toEqualTypeOf<ProviderPreset<MicrosoftInput>>()
    expectTypeOf(generic).toEqualTypeOf<ProviderPreset<GenericInput>>()
    expectTypeOf<Parameters<typeof spotify.options>[0]>().not.toHaveProperty('tenant')
    expectTypeOf(getProvider).returns.toEqualTypeOf<ProviderPreset<AnyProviderInput>>()
    expectTypeOf<AnyProviderInput>().toHaveProperty('tenant')
  })
})

describe('the options each preset gives createKeyway', () => {
  it('name the real endpoints and issuers', () => {
    expect(spotify.options({ clientId: 'app' })).toEqual({
      clientId: 'app',
      endpoints: {
        authorization: 'https://accounts.spotify.com/authorize',
        token: 'https://accounts.spotify.com/api/token',
      },
      scopes: [],
    })
    expect(github.options({ clientId: 'app' })).toMatchObject({
      endpoints: {
        authorization: 'https://github.com/login/oauth/authorize',
        token: 'https://github.com/login/oauth/access_token',
        deviceAuthorization: 'https://github.com/login/device/code',
      },
      fetch: expect.any(Function),
    })
    expect(google.options({ clientId: 'app', clientSecret: 'not-secret' })).toMatchObject({
      issuer: 'https://accounts.google.com',
      clientAuth: 'client_secret_post',
      authorizationParams: { access_type: 'offline', prompt: 'consent' },
    })
    expect(microsoft.options({ clientId: 'app' }).issuer).toBe(
      'https://login.microsoftonline.com/common/v2.0',
    )
    expect(microsoft.options({ clientId: 'app', tenant: 'contoso.onmicrosoft.com' }).issuer).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
    )
  })

  it('are accepted by createKeyway as they are', () => {
    const inputs: [ProviderPreset<AnyProviderInput>, AnyProviderInput][] = [
      [spotify, { clientId: 'app' }],
      [github, { clientId: 'app', clientSecret: 'secret' }],
      [google, { clientId: 'app', clientSecret: 'not-secret' }],
      [microsoft, { clientId: 'app', tenant: 'organizations' }],
      [generic, { clientId: 'app', issuer: 'https://id.example.com' }],
    ]
    for (const [preset, input] of inputs) {
      const kw = createKeyway(preset.options(input))
      kw.stop()
    }
  })

  it('take scopes as one space-separated string or an array, in place of the defaults', () => {
    const scopes = 'playlist-read-private  playlist-read-collaborative'
    expect(spotify.options({ clientId: 'app', scopes }).scopes).toEqual([
      'playlist-read-private',
      'playlist-read-collaborative',
    ])
    expect(
      google.options({ clientId: 'a', clientSecret: 's', scopes: ['openid', 'openid email'] })
        .scopes,
    ).toEqual(['openid', 'email'])
    expect(microsoft.options({ clientId: 'app', scopes: [] }).scopes).toEqual(['offline_access'])
    expect(() => spotify.options({ clientId: 'app', scopes: [42] as never })).toThrow(configError)
  })

  it("let the app's authorization parameters win over the preset's", () => {
    const options = google.options({
      clientId: 'app',
      clientSecret: 'not-secret',
      authorizationParams: { prompt: 'select_account consent', login_hint: 'person@example.com' },
    })
    expect(options.authorizationParams).toEqual({
      access_type: 'offline',
      prompt: 'select_account consent',
      login_hint: 'person@example.com',
    })
  })

  it('put a base URL override, with or without a path, in front of the endpoints', () => {
    const options = spotify.options({ clientId: 'app', baseUrl: 'http://127.0.0.1:8080/spotify/' })
    expect(options.endpoints).toEqual({
      authorization: 'http://127.0.0.1:8080/spotify/authorize',
      token: 'http://127.0.0.1:8080/spotify/api/token',
    })
    expect(() => github.options({ clientId: 'app', baseUrl: 'not a url' })).toThrow(configError)
    expect(() => github.options({ clientId: 'app', baseUrl: 'https://x.example/?a=1' })).toThrow(
      configError,
    )
  })

  it("refuse another preset's fields, a wrong tenant, and a generic preset with nowhere to go", () => {
    const spotifyByName = getProvider('spotify')
    expect(() => spotifyByName.options({ clientId: 'app', tenant: 'common' })).toThrow(configError)
    expect(() =>
      getProvider('google').options({
        clientId: 'a',
        clientSecret: 's',
        issuer: 'https://x.example',
      }),
    ).toThrow(configError)
    expect(() =>
      getProvider('generic').options({ clientId: 'app', baseUrl: 'https://x.example' }),
    ).toThrow(configError)
    expect(() => generic.options({ clientId: 'app' })).toThrow(configError)
    expect(() => microsoft.options({ clientId: 'app', tenant: 'contoso/../x' })).toThrow(
      configError,
    )
    expect(() => spotify.options(undefined as never)).toThrow(configError)
  })

  it('take a resource only where the provider takes resource indicators (generic alone)', () => {
    for (const preset of [spotify, google, microsoft, getProvider('github')]) {
      expect(preset.resourceParameter).toBeUndefined()
      expect(() =>
        getProvider(preset.name).options({
          clientId: 'app',
          clientSecret: 's',
          resource: 'https://api.example.test/',
        }),
      ).toThrow(`The ${preset.name} preset takes no resource (only generic does).`)
    }
  })

  it('say why Google needs its secret without quoting any secret given elsewhere', () => {
    let message = ''
    try {
      getProvider('spotify').options({
        clientId: 'app',
        clientSecret: 'hush-hush',
        tenant: 'common',
      })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe('The spotify preset takes no tenant (only microsoft does).')
    expect(() => google.options({ clientId: 'app' })).toThrow(
      expect.objectContaining({
        code: 'config_error',
        message: expect.stringContaining('clientSecret'),
      }),
    )
  })
})

describe("GitHub's token answers in the RFC's words", () => {
  it('separates scopes with spaces and names a dead refresh token invalid_grant', () => {
    expect(normalizeGitHubTokenBody({ access_token: 'a', scope: 'repo,read:user' })).toEqual({
      access_token: 'a',
      scope: 'repo read:user',
    })
    expect(
      normalizeGitHubTokenBody({ error: 'bad_refresh_token', error_description: 'd' }),
    ).toEqual({
      error: 'invalid_grant',
      error_description: 'd',
    })
  })

  it('leaves everything else to core', () => {
    expect(normalizeGitHubTokenBody({ error: 'authorization_pending' })).toBeUndefined()
    expect(normalizeGitHubTokenBody({ access_token: 'a', scope: 'repo' })).toBeUndefined()
    expect(normalizeGitHubTokenBody(['scope'])).toBeUndefined()
    expect(normalizeGitHubTokenBody(null)).toBeUndefined()
  })
})
