import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { makeSelfSignedCertificate, requireProgram } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'

const world = useCliWorld()

/** A loopback port that nothing listens on: taken, then let go. */
async function closedPort(): Promise<number> {
  const server = createHttpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const login = (issuer: string, ...more: string[]) => [
  'login',
  '--profile',
  'unreachable',
  '--issuer',
  issuer,
  '--client-id',
  'x',
  '--store',
  'file',
  '--paste',
  ...more,
]

describe('an issuer that cannot be reached', () => {
  it('is told once, on one line, with the URL and the cause', async () => {
    const port = await closedPort()
    const result = await world.run(login(`http://127.0.0.1:${port}`))

    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      `keyway: Reading the provider metadata failed: http://127.0.0.1:${port}/.well-known/openid-configuration could not be reached (ECONNREFUSED): connection refused.\n`,
    )
  })

  it('is one JSON object on stdout with --json, the human line on stderr only', async () => {
    const port = await closedPort()
    const result = await world.run(login(`http://127.0.0.1:${port}`, '--json'))

    expect(result.code).toBe(1)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    const { error } = JSON.parse(result.stdout)
    expect(error.code).toBe('network')
    expect(error.message).toContain(`http://127.0.0.1:${port}/.well-known/openid-configuration`)
    expect(error.message).toContain('connection refused')
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
  })
})

const openssl = requireProgram('openssl', 'the certificate test (a self-signed certificate)')

describe.skipIf(openssl === undefined)('an issuer whose certificate is not trusted', () => {
  let server: Server | undefined
  let issuer = ''
  beforeAll(async () => {
    const tls = await makeSelfSignedCertificate(openssl!, world.configDir)
    server = createHttpsServer(tls, (_, response) => response.end('{}'))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
  })

  it('says it is the certificate, with the URL', async () => {
    const result = await world.run(login(issuer))

    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      new RegExp(
        `^keyway: .*${issuer.replaceAll('.', '\\.')}/\\.well-known/openid-configuration.*certificate not trusted: it is self-signed\\.\\n$`,
      ),
    )
  })
})

describe('a wrong command line under --json', () => {
  it.each([
    [['frob', '--json'], "unknown command 'frob'"],
    [['token', '--frob', '--json'], "unknown option '--frob'"],
    [['--json'], 'No command given: keyway --help lists the commands.'],
  ])('keyway %j is one JSON error on stdout', async (args, message) => {
    const result = await world.run(args)

    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'config_error', message, exitCode: 1 },
    })
  })

  it('is plain text on stderr without --json', async () => {
    const result = await world.run(['frob'])

    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain("error: unknown command 'frob'")
  })
})

describe('keyway login --no-input where no answer can arrive', () => {
  const settings = () => [
    '--issuer',
    world.dev.issuer,
    '--client-id',
    world.dev.clients.native.clientId,
  ]

  it('fails at once with 4, and says what would work', async () => {
    // No display (the test environment has none), no prompts, no device flow.
    const result = await world.run(['login', '--profile', 'cannot', ...settings(), '--no-input'])

    expect(result.code).toBe(4)
    expect(result.stderr).toBe(
      'keyway: A login is needed and cannot happen here: there is no graphical display (DISPLAY and WAYLAND_DISPLAY are not set), so no browser can open, and prompts are forbidden (--no-input or KEYWAY_INTERACTIVE=0).\n' +
        'Use --device (enter a code on any device), or --paste from a terminal without --no-input.\n',
    )
    expect(world.dev.counters.requests.authorization).toBe(0)
  })

  it('still offers the device flow with --device', async () => {
    const cli = world.start([
      'login',
      '--profile',
      'device',
      ...settings(),
      '--device',
      '--no-input',
    ])
    await cli.waitFor(/user_code=/)
    cli.signal('SIGINT')
    expect((await cli.done).code).toBe(2)
  })
})

describe('keyway logout before any login', () => {
  it('exits with 0 and says there was nothing to log out of', async () => {
    const result = await world.run(['logout', '--profile', 'never'])

    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Nothing to log out of: there is no profile never yet.\n',
    })
  })

  it('says so in JSON with --json', async () => {
    const result = await world.run(['logout', '--profile', 'never', '--json'])

    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({ profile: 'never', loggedOut: false, store: null })
  })
})
