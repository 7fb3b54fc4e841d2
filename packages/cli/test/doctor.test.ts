import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { requireProgram, type SecretService, startSecretService } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'
import { expectNoSecret } from './support/secrets.js'

const world = useCliWorld()

function statusOf(stdout: string, check: string): string | undefined {
  return new RegExp(`^(ok|warn|fail|skip) +${check} `, 'm').exec(stdout)?.[1]
}

describe('keyway doctor', () => {
  it('checks config, provider, clock, store, grant and browser, secrets masked', async () => {
    const { issuer, clients } = world.dev
    const { clientId, clientSecret } = clients.confidential
    const args = ['--issuer', issuer, '--client-id', clientId, '--client-secret', clientSecret]
    const result = await world.run(['doctor', ...args, '--store', 'file'])

    expect(result.code).toBe(0)
    for (const check of ['config', 'provider', 'clock', 'store', 'browser']) {
      expect(statusOf(result.stdout, check)).toBe('ok')
    }
    expect(statusOf(result.stdout, 'grant')).toBe('warn')
    expect(result.stdout).toContain(`revocation: ${issuer}/token/revocation`)
    expect(result.stdout).toContain('client secret: **** (set)  (from --client-secret)')
    expect(result.stdout).toMatch(/No problem found\.\n$/)
    expectNoSecret(result.stdout + result.stderr, [clientSecret])
  })

  it('reports an unreachable provider and exits with 1', async () => {
    const result = await world.run([
      'doctor',
      '--issuer',
      'http://127.0.0.1:9/',
      '--client-id',
      'x',
      '--store',
      'file',
      '--json',
    ])

    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.ok).toBe(false)
    expect(
      report.checks.map((check: { name: string; status: string }) => [check.name, check.status]),
    ).toEqual([
      ['config', 'ok'],
      ['provider', 'fail'],
      ['clock', 'skip'],
      ['store', 'ok'],
      ['grant', 'warn'],
      ['browser', 'ok'],
    ])
  })
})

describe('a missing keychain (no Secret Service on the session bus)', () => {
  const env = () => ({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(world.configDir, 'no-bus')}` })
  const settings = () => [
    '--issuer',
    world.dev.issuer,
    '--client-id',
    'keyway-native',
    '--store',
    'keychain',
  ]

  it('fails the store check, with a way out that the person chooses', async () => {
    const result = await world.run(['doctor', ...settings()], env())

    expect(result.code).toBe(1)
    expect(statusOf(result.stdout, 'store')).toBe('fail')
    expect(result.stdout).toContain(
      'store     keychain (service keyway): there is no keychain: no Secret Service answers on the session bus.',
    )
    expect(result.stdout).toContain('or keep tokens in a plaintext file instead: --store file.')
  })

  it('stops a login before the person signs in, and never falls back to a file', async () => {
    const result = await world.run(
      ['login', '--profile', 'nokeychain', ...settings(), '--paste'],
      env(),
    )

    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^keyway: Cannot keep tokens: there is no keychain/)
    expect(result.stderr).not.toContain('/auth?')
    expect(world.dev.counters.requests.authorization).toBe(0)
    const status = await world.run(['status', '--profile', 'nokeychain'], env())
    expect(status.stderr).toContain('no profile nokeychain')
  })
})

/** The programs of a private Secret Service, each found or reported missing. */
const programs = (() => {
  const purpose = 'the CLI keychain tests (a private Secret Service)'
  const [dbusDaemon, dbusSend, keyringDaemon] = [
    'dbus-daemon',
    'dbus-send',
    'gnome-keyring-daemon',
  ].map((name) => requireProgram(name, purpose))
  if (dbusDaemon === undefined || dbusSend === undefined || keyringDaemon === undefined)
    return undefined
  return { dbusDaemon, dbusSend, keyringDaemon }
})()

describe.skipIf(programs === undefined)('a real Secret Service', () => {
  let secrets: SecretService | undefined
  beforeAll(async () => {
    secrets = await startSecretService(programs)
  })
  afterAll(async () => {
    await secrets?.close()
  })
  const settings = () => ['--issuer', world.dev.issuer, '--client-id', 'keyway-native']

  it('keeps the tokens of a login in the keychain, the default store', async () => {
    const login = await world.pasteLogin([
      'login',
      '--profile',
      'keychain',
      ...settings(),
      '--paste',
    ])
    expect(login.code).toBe(0)
    expect(login.stderr).toContain('tokens   keychain (service keyway)')
    expect(login.stderr).not.toContain('no keychain answered')

    const doctor = await world.run(['doctor', '--profile', 'keychain'])
    expect(doctor.code).toBe(0)
    expect(doctor.stdout).toContain('store     keychain (service keyway): reads and writes')
    expect(statusOf(doctor.stdout, 'grant')).toBe('ok')
    expect((await world.run(['token', '--profile', 'keychain'])).code).toBe(0)
    expect(await secrets!.atRest()).not.toContain('"accessToken"')
  })

  it('makes doctor say that auto chose the keychain because the Secret Service answered', async () => {
    const doctor = await world.run(['doctor', ...settings()])

    expect(doctor.stdout).toContain('store     keychain (service keyway): reads and writes')
    expect(doctor.stdout).toContain(
      'chosen by --store auto (from default): the Secret Service answered, so it is used',
    )
  })

  it('finds a locked keychain before any login', async () => {
    await promisify(execFile)(programs!.dbusSend, [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.secrets',
      '/org/freedesktop/secrets',
      'org.freedesktop.Secret.Service.Lock',
      'array:objpath:/org/freedesktop/secrets/collection/login',
    ])
    const doctor = await world.run(['doctor', ...settings()])

    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toContain('store     keychain (service keyway): the keychain is locked')
    const login = await world.run(['login', '--profile', 'locked', ...settings(), '--paste'])
    expect(login.code).toBe(1)
    expect(login.stderr).toMatch(/^keyway: Cannot keep tokens: the keychain is locked/)
  })
})
