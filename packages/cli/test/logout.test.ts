import { describe, expect, it } from 'vitest'
import { useCliWorld, userinfo } from './support/cli-world.js'

const world = useCliWorld()

describe('keyway logout', () => {
  it('revokes the grant at the provider and removes the tokens', async () => {
    expect((await world.pasteLogin([...world.loginArgs('leaving'), '--paste'])).code).toBe(0)
    const token = (await world.run(['token', '--profile', 'leaving'])).stdout.trim()
    world.dev.counters.reset()

    const result = await world.run(['logout', '--profile', 'leaving'])

    expect(result.code).toBe(0)
    expect(result.stderr).toContain('✓ Logged out of profile leaving:')
    expect(world.dev.counters.requests.revocation).toBe(2)
    expect(world.dev.grantIds()).toEqual([])
    expect((await userinfo(world.dev, token)).status).toBe(401)
    expect((await world.run(['token', '--profile', 'leaving'])).code).toBe(4)
  })

  it('reports as JSON with --json', async () => {
    expect((await world.pasteLogin([...world.loginArgs('json'), '--paste'])).code).toBe(0)
    const result = await world.run(['logout', '--profile', 'json', '--json'])

    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      profile: 'json',
      loggedOut: true,
      store: expect.stringMatching(/^file .+tokens\.json \(plaintext\)$/),
      problems: [],
    })
  })

  it('says there is nothing to do when the profile holds no tokens', async () => {
    const result = await world.run(['logout', ...world.loginArgs('never').slice(1)])

    expect(result.code).toBe(0)
    expect(result.stderr).toBe('Nothing to log out of: profile never holds no tokens.\n')
    expect(world.dev.counters.requests.revocation).toBe(0)
  })
})
