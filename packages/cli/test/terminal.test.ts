import { requireProgram, ScriptedBrowser } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'

const world = useCliWorld()
const script = requireProgram('script', 'the CLI terminal tests (a pseudo-terminal)')

describe.skipIf(script === undefined)('on a terminal', () => {
  it('shows the device code first, the complete address as a QR code, and a spinner', async () => {
    const cli = world.start([...world.loginArgs('tty'), '--device'], { TERM: 'xterm' }, script)
    const [, uri] = await cli.waitFor(/^(http:\/\/127\.0\.0\.1:\d+\/device\?user_code=[\w-]+)\r?$/m)
    await cli.waitFor(/Waiting for approval/)
    // The instructions may reach the terminal in several pieces: the line after the QR code
    // says they are all there.
    await cli.waitFor(/The code expires in/)
    const code = new URL(uri!).searchParams.get('user_code')!
    const screen = cli.stderr
    const qr = screen.indexOf('or scan it:')

    expect(screen).toMatch(new RegExp(`^Your code: \\u001b\\[1m${code}\\u001b\\[22m\\r?$`, 'm'))
    expect(screen.indexOf(code)).toBeLessThan(screen.indexOf(uri!))
    expect(qr).toBeGreaterThan(screen.indexOf(uri!))
    expect(
      screen
        .slice(qr)
        .split('\n')
        .filter((line) => /^[ ▀▄█]{20,}\r?$/.test(line)).length,
    ).toBeGreaterThan(10)

    await new ScriptedBrowser().confirmDevice(uri!)
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('\u001b[32m✓\u001b[39m Logged in as alice.')
  })

  it('colors only without NO_COLOR', async () => {
    const run = async (extra: NodeJS.ProcessEnv) => {
      const cli = world.start(
        ['status', '--profile', 'nobody'],
        { TERM: 'xterm', ...extra },
        script,
      )
      cli.endInput()
      return (await cli.done).stdout
    }
    const colored = await run({})
    const plain = await run({ NO_COLOR: '1' })

    expect(colored).toContain('\u001b[31mkeyway:\u001b[39m There is no profile nobody')
    expect(plain).toContain('keyway: There is no profile nobody')
    expect(plain).not.toContain('\u001b[')
  })
})
