import { describe, expect, it, onTestFinished } from 'vitest'
import { useCliWorld } from './support/cli-world.js'

/** The inspector's page address, alone on its line. */
const pageAddress = /^(http:\/\/127\.0\.0\.1:\d+\/[\w-]{32}\/)$/m

/** Reads the page's live stream, as the page does, until it carries `marker`. */
async function readStreamUntil(url: URL, marker: string): Promise<string> {
  const abort = new AbortController()
  const response = await fetch(url, { signal: abort.signal })
  const decoder = new TextDecoder()
  let text = ''
  for await (const chunk of response.body ?? []) {
    text += decoder.decode(chunk, { stream: true })
    if (text.includes(marker)) break
  }
  abort.abort()
  return text
}

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
    // The restore's decisions, taken without an event, are shown with their guards.
    expect(result.stdout).toMatch(/^ {4}always {14}→ idle$/m)
    expect(result.stdout).toMatch(/^ {4}always {14}→ authorized {10}if restoresTo\(authorized\)$/m)
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
      transitions: [
        { event: 'login', target: 'authorizing' },
        { event: 'token.refresh', target: 'restoring' },
      ],
    })
  })
})

describe('keyway inspect --serve', () => {
  it("serves the profile's machine live, its address printed first, until SIGINT or SIGTERM", async () => {
    expect((await world.pasteLogin([...world.loginArgs('watched'), '--paste'])).code).toBe(0)
    const tokens = await world.storedTokens()
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const cli = world.start(['inspect', '--serve', '--profile', 'watched'])
      onTestFinished(() => cli.signal('SIGKILL'))
      const [, address] = await cli.waitFor(pageAddress)
      const stream = await readStreamUntil(new URL('events', address), '"active":["authorized"')
      await cli.waitFor(/^Profile watched is authorized\. The page follows it until Ctrl-C\.$/m)
      cli.signal(signal)
      const result = await cli.done

      expect({ signal, code: result.code }).toEqual({ signal, code: 0 })
      expect(result.stderr.split('\n').filter((line) => /^https?:/.test(line))).toEqual([address])
      expect(stream).toContain('"kind":"machine","id":"keyway"')
      for (const token of tokens) {
        expect(stream).not.toContain(token)
        expect(result.stderr).not.toContain(token)
      }
    }
  })

  it('asks for a login when the profile is not set up, and serves nothing', async () => {
    const result = await world.run(['inspect', '--serve', '--profile', 'nobody'])

    expect(result.code).toBe(4)
    expect(result.stderr).not.toMatch(pageAddress)
    expect(result.stderr).toMatch(/^Run: keyway login --profile nobody/m)
  })
})
