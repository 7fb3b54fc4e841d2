import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'
import { expectNoSecret } from './support/secrets.js'

const world = useCliWorld()
const run = (...command: string[]) => ['run', '--profile', 'runner', '--', ...command]
const node = (script: string) => run(process.execPath, '-e', script)
const digest = (text: string) => createHash('sha256').update(text).digest('hex')

/** A child that says it is ready, then waits to be signalled. */
const waiting = (onTerm: string) =>
  `${onTerm}; process.stderr.write('ready\\n'); setInterval(() => {}, 1000)`

beforeAll(async () => {
  const login = await world.pasteLogin([...world.loginArgs('runner'), '--paste'])
  expect(login.code).toBe(0)
})

describe('keyway run', () => {
  it('runs the command with the access token in KEYWAY_ACCESS_TOKEN and --env-name', async () => {
    const script = `const d = (t) => require('node:crypto').createHash('sha256').update(t ?? '').digest('hex'); console.log(d(process.env.KEYWAY_ACCESS_TOKEN), d(process.env.API_TOKEN))`
    const args = ['run', '--profile', 'runner', '--env-name', 'API_TOKEN', '--', process.execPath]
    const result = await world.run([...args, '-e', script])

    expect(result.code, result.stderr).toBe(0)
    const token = digest((await world.storedTokensOf('runner'))!.accessToken)
    expect(result.stdout).toBe(`${token} ${token}\n`)
    expect(world.dev.counters.requests.token).toBe(0)
  })

  it("exits with the command's exit code", async () => {
    expect((await world.run(node('process.exit(7)'))).code).toBe(7)
    expect((await world.run(node('process.exit(0)'))).code).toBe(0)
  })

  it('passes a signal on to the command, and exits as it does', async () => {
    const onTerm = `process.on('SIGTERM', () => { process.stderr.write('got SIGTERM\\n'); process.exit(42) })`
    const cli = world.start(node(waiting(onTerm)))
    cli.endInput()
    await cli.waitFor(/^ready$/m)
    cli.signal('SIGTERM')
    const result = await cli.done

    expect(result.code).toBe(42)
    expect(result.stderr).toContain('got SIGTERM')
  })

  it('exits with 128 + the signal when the signal ends the command', async () => {
    const cli = world.start(node(waiting('')))
    cli.endInput()
    await cli.waitFor(/^ready$/m)
    cli.signal('SIGHUP')

    expect((await cli.done).code).toBe(129)
  })

  it('never runs the command without a grant: exit 4 and the login to run', async () => {
    const result = await world.run([
      'run',
      '--profile',
      'nobody',
      '--',
      process.execPath,
      '-e',
      'console.log("ran")',
    ])

    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Run: keyway login --profile nobody')
  })

  it('says so when the command cannot run', async () => {
    const result = await world.run(run(join(world.configDir, 'no-such-program')))

    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^keyway: Cannot run .*no-such-program/)
  })

  it('refuses an --env-name that is not a variable name', async () => {
    const result = await world.run([
      'run',
      '--profile',
      'runner',
      '--env-name',
      'A-B',
      '--',
      'true',
    ])

    expect(result.code).toBe(1)
    expect(result.stderr).toContain('--env-name takes a variable name')
  })

  it('prints no token itself', async () => {
    const result = await world.run(node(''))

    expectNoSecret(result.stdout + result.stderr, await world.storedTokens())
  })
})
