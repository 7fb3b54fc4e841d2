import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ScriptedBrowser } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { completeUri, useCliWorld } from './support/cli-world.js'
import { expectNoSecret } from './support/secrets.js'

const world = useCliWorld()

describe('--verbose and KEYWAY_TRACE', () => {
  it('trace every HTTP step of login, refresh and logout with every secret masked', async () => {
    const { issuer, clients } = world.dev
    const { clientId, clientSecret } = clients.confidential
    const settings = [
      '--profile',
      'traced',
      '--issuer',
      issuer,
      '--client-id',
      clientId,
      '--store',
      'file',
    ]
    const login = await world.pasteLogin([
      'login',
      ...settings,
      '--client-secret',
      clientSecret,
      '--paste',
      '--verbose',
    ])
    const code = login.callbackUrl.searchParams.get('code')!
    const tokens = await world.storedTokens()
    const refresh = await world.run([
      'token',
      '--profile',
      'traced',
      '--force-refresh',
      '--verbose',
    ])
    const logout = await world.run(['logout', '--profile', 'traced'], { KEYWAY_TRACE: '1' })
    const trace = login.stderr + refresh.stderr + logout.stderr

    expect([login.code, refresh.code, logout.code]).toEqual([0, 0, 0])
    expectNoSecret(trace, [
      ...tokens,
      ...(await world.storedTokens()),
      code,
      clientSecret,
      refresh.stdout.trim(),
    ])
    const steps = trace.split('\n').filter((line) => /^trace [→←]/.test(line))
    expect(steps).toEqual(
      expect.arrayContaining([
        `trace → GET ${issuer}/.well-known/openid-configuration`,
        `trace → POST ${issuer}/token`,
        `trace → POST ${issuer}/token/revocation`,
        expect.stringMatching(/^trace ← 200 OK in \d+ ms$/),
      ]),
    )
    expect(trace).toContain('trace   authorization: Basic ****\n')
    expect(trace).toMatch(
      /^trace {3}body: (?=.*grant_type=authorization_code)(?=.*\bcode=\*{4})(?=.*code_verifier=\*{4})/m,
    )
    expect(trace).toMatch(/^trace {3}body: \{"access_token":"\*{4}",.*"refresh_token":"\*{4}"/m)
    expect(trace).toMatch(
      /^trace {3}body: (?=.*grant_type=refresh_token)(?=.*refresh_token=\*{4})/m,
    )
  })

  it('trace the device flow without its device code or user code', async () => {
    const cli = world.start([...world.loginArgs('device'), '--device', '--verbose'])
    const [, uri] = await cli.waitFor(completeUri)
    await new ScriptedBrowser().confirmDevice(uri!)
    const result = await cli.done
    const userCode = new URL(uri!).searchParams.get('user_code')!

    expect(result.code).toBe(0)
    const trace = result.stderr.split('\n').filter((line) => line.startsWith('trace '))
    expect(trace.join('\n')).toContain('"device_code":"****","user_code":"****"')
    expectNoSecret(trace.join('\n'), [...(await world.storedTokens()), userCode])
  })

  it('appends to a private file with KEYWAY_TRACE=<file>, and leaves stderr alone', async () => {
    const file = join(world.configDir, 'trace.log')
    const result = await world.run(['token', '--profile', 'device', '--force-refresh'], {
      KEYWAY_TRACE: file,
    })

    expect(result).toMatchObject({ code: 0, stderr: '' })
    const trace = await readFile(file, 'utf8')
    expect(trace).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z → GET http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration$/m,
    )
    expect(trace).toMatch(/ {2}body: \{"access_token":"\*{4}"/)
    expectNoSecret(trace, [result.stdout.trim(), ...(await world.storedTokens())])
    expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('sends nothing to stderr with KEYWAY_TRACE=0', async () => {
    const result = await world.run(['token', '--profile', 'device', '--force-refresh'], {
      KEYWAY_TRACE: '0',
    })

    expect(result).toMatchObject({ code: 0, stderr: '' })
  })
})
