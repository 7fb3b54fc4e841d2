import { beforeAll, describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'

// Tokens that live 40 s: after the login, less than the 60 s `keyway token` keeps by default.
const world = useCliWorld({ accessTokenTtl: 40_000 })
const profile = ['--profile', 'short']
const refreshes = () => world.dev.counters.grants.refresh_token ?? 0

beforeAll(async () => {
  const login = await world.pasteLogin([...world.loginArgs('short'), '--paste'])
  expect(login.code).toBe(0)
})

describe('keyway token and the time a token has left', () => {
  it('serves a token with less than 60 s left when --min-ttl allows it', async () => {
    const result = await world.run(['token', ...profile, '--min-ttl', '1', '--json'])

    expect(result.code).toBe(0)
    expect(refreshes()).toBe(0)
    expect(JSON.parse(result.stdout).expiresIn).toBeLessThanOrEqual(40)
  })

  it('refreshes first by default: a token it serves has at least 60 s left, or is fresh', async () => {
    const before = await world.run(['token', ...profile, '--min-ttl', '1'])
    const result = await world.run(['token', ...profile])

    expect(result.code).toBe(0)
    expect(refreshes()).toBe(1)
    expect(result.stdout.trim()).not.toBe(before.stdout.trim())
  })

  it('refreshes a token about to expire with --verbose too, the refresh request in its trace', async () => {
    const result = await world.run(['token', ...profile, '--verbose'])

    expect(result.code).toBe(0)
    expect(refreshes()).toBe(1)
    expect(result.stderr).toContain(`trace → POST ${world.dev.issuer}/token\n`)
    expect(result.stderr).toMatch(/^trace {3}body: (?=.*grant_type=refresh_token)/m)
    expect(result.stderr).not.toContain(result.stdout.trim())
  })
})
