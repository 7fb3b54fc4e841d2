import { beforeAll, describe, expect, it } from 'vitest'
import { idTokenExpiry } from '../src/id-token.js'
import { useCliWorld } from './support/cli-world.js'
import { modulesLoadedBy, notForAStoredToken } from './support/loaded-modules.js'

const world = useCliWorld()
const profile = ['--profile', 'oidc']
const refreshes = () => world.dev.counters.grants.refresh_token ?? 0

/** The ID token stored for the oidc profile. */
const storedIdToken = async () => (await world.storedTokensOf('oidc'))?.idToken

beforeAll(async () => {
  const login = await world.pasteLogin([...world.loginArgs('oidc'), '--paste'])
  expect(login.code).toBe(0)
})

describe('keyway token --id-token', () => {
  it('prints the stored ID token alone, from the store, without the full command', async () => {
    const { result, loaded } = await modulesLoadedBy(world, ['token', ...profile, '--id-token'])

    expect(result.code).toBe(0)
    const same = result.stdout === `${await storedIdToken()}\n`
    expect(same, 'stdout is the stored ID token').toBe(true)
    expect(loaded).toContain('src/stored-token/serve-stored-token.ts')
    expect(loaded.filter((url) => notForAStoredToken.test(url))).toEqual([])
    expect(world.dev.counters.requests.token).toBe(0)
  })

  it('prints it as an Authorization header with --header', async () => {
    const result = await world.run(['token', ...profile, '--id-token', '--header'])

    expect(result.stdout === `Authorization: Bearer ${await storedIdToken()}\n`).toBe(true)
  })

  it('refreshes once when it has less than --min-ttl left, then serves the new one', async () => {
    const before = await storedIdToken()
    // More than an ID token lives: one refresh, whose ID token is served all the same.
    const result = await world.run(['token', ...profile, '--id-token', '--min-ttl', '7200'])

    expect(result.code, result.stderr).toBe(0)
    expect(refreshes()).toBe(1)
    const after = await storedIdToken()
    expect(after !== before && result.stdout === `${after}\n`, 'the new ID token').toBe(true)
    expect(idTokenExpiry(after!)! - Date.now()).toBeGreaterThan(60_000)

    const again = await world.run(['token', ...profile, '--id-token'])
    expect(again.stdout === result.stdout, 'the same ID token').toBe(true)
    expect(refreshes()).toBe(1)
  })

  it('refuses --json and --env, which are about the access token', async () => {
    const result = await world.run(['token', ...profile, '--id-token', '--env'])

    expect(result.code).toBe(1)
    expect(result.stderr).toContain('--id-token prints the ID token alone, or with --header')
  })
})

describe('keyway token --id-token for a grant without an ID token', () => {
  it('exits with 4 and says the provider sent none, after one refresh', async () => {
    const args = [...world.loginArgs('plain'), '--scope', 'offline_access api:read', '--paste']
    const login = await world.pasteLogin(args)
    expect(login.code, login.stderr).toBe(0)
    world.dev.counters.reset()

    const result = await world.run(['token', '--profile', 'plain', '--id-token'])

    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('The provider sent no unexpired ID token')
    expect(refreshes()).toBe(1)
  })
})
