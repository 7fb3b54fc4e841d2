import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ScriptedBrowser } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { authorizationUrl, completeUri, useCliWorld, userinfo } from './support/cli-world.js'

const world = useCliWorld()

async function savedProfiles() {
  return JSON.parse(await readFile(join(world.configDir, 'config.json'), 'utf8')).profiles
}

describe('keyway login', () => {
  it('logs in by paste, saves the profile, and the token works at the provider', async () => {
    const login = await world.pasteLogin([...world.loginArgs('paste'), '--paste'])

    expect(login.code).toBe(0)
    expect(login.stdout).toBe('')
    // One success line: the command's, not the transport's as well.
    expect(login.stderr).toMatch(/Paste the address \(or just the code\): ✓ Logged in as alice\.\n/)
    expect(login.stderr.match(/Logged in/g)).toHaveLength(1)
    expect(login.stderr).toContain(
      `profile  paste, saved in ${join(world.configDir, 'config.json')}`,
    )
    // The summary ends the output, on a line of its own.
    expect(login.stderr).toMatch(
      new RegExp(
        `\\n {2}tokens {3}file ${join(world.configDir, 'tokens\\.json')} \\(plaintext\\)\\n$`,
      ),
    )
    expect(world.dev.counters.grants.authorization_code).toBe(1)
    expect((await savedProfiles()).paste).toEqual({
      provider: 'generic',
      issuer: world.dev.issuer,
      clientId: world.dev.clients.native.clientId,
      store: 'file',
    })

    const token = await world.run(['token', '--profile', 'paste'])
    expect(token.code).toBe(0)
    expect(token.stderr).toBe('')
    expect(await userinfo(world.dev, token.stdout.trim())).toMatchObject({
      status: 200,
      body: { sub: 'alice' },
    })
  })

  it('logs in with the device flow: the code first, then the address that carries it', async () => {
    const cli = world.start([...world.loginArgs('device'), '--device', '--json'])
    const [, uri] = await cli.waitFor(completeUri)
    const code = new URL(uri!).searchParams.get('user_code')!
    expect(cli.stderr.indexOf(`Your code: ${code}`)).toBeLessThan(cli.stderr.indexOf(uri!))

    expect(await new ScriptedBrowser().confirmDevice(uri!)).toMatchObject({ approved: true })
    const result = await cli.done
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ profile: 'device', subject: 'alice' })
    expect(result.stderr).not.toMatch(/Approved|Logged in/)
    expect(world.dev.counters.grants['urn:ietf:params:oauth:grant-type:device_code']).toBe(1)
    const token = await world.run(['token', '--profile', 'device'])
    expect((await userinfo(world.dev, token.stdout.trim())).status).toBe(200)
  })

  it('asks for the pasted address where no browser can open (an SSH session)', async () => {
    const login = await world.pasteLogin(world.loginArgs('ssh'), {
      SSH_CONNECTION: '10.0.0.1 1 10.0.0.2 22',
    })

    expect(login.code).toBe(0)
    expect(login.stderr).toMatch(/^Not opening a browser: this is an SSH session\.\n/)
  })

  it('listens on the loopback interface with --no-browser and no prompts', async () => {
    const cli = world.start([...world.loginArgs('loopback'), '--no-browser', '--no-input'])
    const [, url] = await cli.waitFor(authorizationUrl)
    const { landed } = await new ScriptedBrowser().authorize(url!)

    expect(landed?.status).toBe(200)
    expect((await cli.done).code).toBe(0)
    expect(cli.stderr).not.toContain('Paste')
    expect(cli.stderr.match(/Logged in/g)).toHaveLength(1)
  })

  it('refuses --paste when prompts are forbidden, before anything is shown', async () => {
    const result = await world.run([...world.loginArgs('refused'), '--paste'], {
      KEYWAY_INTERACTIVE: '0',
    })

    expect(result.code).toBe(4)
    expect(result.stderr).toBe(
      'keyway: A login is needed and cannot happen here: --paste reads what you paste, but prompts are forbidden (--no-input or KEYWAY_INTERACTIVE=0).\n' +
        'Use --device (enter a code on any device), or --paste from a terminal without --no-input.\n',
    )
    expect(world.dev.counters.requests.authorization).toBe(0)
  })

  it('refuses two ways of logging in at once', async () => {
    const result = await world.run([...world.loginArgs('two'), '--paste', '--device'])

    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Choose one of --browser, --no-browser, --paste and --device.')
  })

  it('says what a first login needs when nothing is known', async () => {
    const result = await world.run(['login', '--profile', 'unknown'])

    expect(result.code).toBe(1)
    expect(result.stderr).toContain('keyway login --issuer URL --client-id ID')
  })
})
