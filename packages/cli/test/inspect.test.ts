import { describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'

const world = useCliWorld()

describe('keyway inspect', () => {
  it("prints the machine's states and transitions and marks the profile's state", async () => {
    expect((await world.pasteLogin([...world.loginArgs('seen'), '--paste'])).code).toBe(0)
    const result = await world.run(['inspect', '--profile', 'seen'])

    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^Keyway's state machine \(keyway\):\n\nrestoring {2}\(initial; runs restore\)\n/,
    )
    expect(result.stdout).toMatch(/^ {4}login {15}→ authorizing$/m)
    expect(result.stdout).toMatch(/^ {4}token\.refresh {7}→ refreshing {10}if hasRefreshToken$/m)
    expect(result.stdout).toMatch(/^authorized {3}◀ now$/m)
    expect(result.stdout).toMatch(/^ {2}waiting {2}\(initial; on entry planRefresh\)$/m)
    expect(result.stdout).toMatch(/Profile seen is authorized\.\n$/)
  })

  it('shows the machine as JSON, and the state of a profile that is not set up', async () => {
    const result = await world.run(['inspect', '--profile', 'nobody', '--json'])

    expect(result.code).toBe(0)
    const shown = JSON.parse(result.stdout)
    expect(shown).toMatchObject({ machine: 'keyway', profile: 'nobody', state: null })
    expect(shown.states.map((state: { path: string }) => state.path)).toEqual([
      'restoring',
      'restored',
      'idle',
      'authorizing',
      'exchanging',
      'authorized',
      'authorized.waiting',
      'authorized.retrying',
      'authorized.unsaved',
      'authorized.saving',
      'refreshing',
      'loginRequired',
      'failed',
      'loggingOut',
    ])
    expect(shown.states[2]).toEqual({
      path: 'idle',
      depth: 0,
      initial: false,
      runs: [],
      entry: [],
      transitions: [{ event: 'login', target: 'authorizing' }],
    })
  })
})
