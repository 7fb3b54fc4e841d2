import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'

const world = useCliWorld()

/** A run with no D-Bus session at all, as on a server or in a container. */
const noSession = { DBUS_SESSION_BUS_ADDRESS: undefined }

const notice = () =>
  `Note: no keychain answered (no Secret Service on the session bus); tokens are kept in ${join(world.configDir, 'tokens.json')} (0600, plaintext). Choose with --store keychain|file|redis://….\n`

const settings = () => [
  '--issuer',
  world.dev.issuer,
  '--client-id',
  world.dev.clients.native.clientId,
]

describe('the default store (auto) where no keychain answers', () => {
  it('logs in to the private file, says so on one line, and the profile keeps the file', async () => {
    const login = await world.pasteLogin(
      ['login', '--profile', 'server', ...settings(), '--paste'],
      noSession,
    )

    expect(login.code).toBe(0)
    expect(login.stderr.split(notice())).toHaveLength(2)
    expect(login.stderr).toContain(`tokens   file ${join(world.configDir, 'tokens.json')}`)
    expect((await stat(join(world.configDir, 'tokens.json'))).mode & 0o777).toBe(0o600)
    const saved = JSON.parse(await readFile(join(world.configDir, 'config.json'), 'utf8'))
    expect(saved.profiles.server.store).toBe('file')

    // The profile names the file now: no probe, no notice, and the token is there.
    const token = await world.run(['token', '--profile', 'server'], noSession)
    expect(token).toMatchObject({ code: 0, stderr: '' })
    expect(await world.storedTokens()).toContain(token.stdout.trim())
  })

  it('tells the notice on each command that resolves auto without a profile', async () => {
    const status = await world.run(['status', '--profile', 'flags-only', ...settings()], noSession)

    expect(status.code).toBe(4)
    expect(status.stderr.startsWith(notice())).toBe(true)
  })

  it('makes doctor say which store is in use and why', async () => {
    const doctor = await world.run(['doctor', ...settings()], noSession)

    expect(doctor.code).toBe(0)
    expect(doctor.stdout).toContain(
      `store     file ${join(world.configDir, 'tokens.json')} (plaintext): reads and writes`,
    )
    expect(doctor.stdout).toContain(
      'chosen by --store auto (from default): no keychain answered (no Secret Service on the session bus), so the private file (0600) is used',
    )
  })

  it('does not fall back when the keychain is asked for by name', async () => {
    const login = await world.run(
      ['login', '--profile', 'strict', ...settings(), '--store', 'keychain', '--paste'],
      noSession,
    )

    expect(login.code).toBe(1)
    expect(login.stderr).toMatch(/^keyway: Cannot keep tokens: there is no keychain/)
    expect(login.stderr).not.toContain('Note:')
    expect(world.dev.counters.requests.authorization).toBe(0)
  })
})
