import { beforeAll, describe, expect, it } from 'vitest'
import { useCliWorld, userinfo } from './support/cli-world.js'
import { modulesLoadedBy, notForAStoredToken } from './support/loaded-modules.js'

const world = useCliWorld()
const profile = ['--profile', 'work']
const refreshes = () => world.dev.counters.grants.refresh_token ?? 0

/**
 * Runs `keyway args…` with the module recorder loaded; resolves with the sources of the
 * modules it loaded (see `modulesLoadedBy`).
 */
async function sourcesLoadedBy(args: readonly string[]): Promise<string[]> {
  const { result, loaded } = await modulesLoadedBy(world, args)
  expect(result.code).toBe(0)
  return loaded
}

beforeAll(async () => {
  const login = await world.pasteLogin([...world.loginArgs('work'), '--paste'])
  expect(login.code).toBe(0)
})

describe('keyway token', () => {
  it('prints the access token alone on stdout, from the store, with no request', async () => {
    const result = await world.run(['token', ...profile])

    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toMatch(/^\S+\n$/)
    expect(world.dev.counters.requests.token).toBe(0)
    expect(await userinfo(world.dev, result.stdout.trim())).toMatchObject({ status: 200 })
  })

  it('serves a fresh token without commander, xstate, a transport or the protocol', async () => {
    const loaded = await sourcesLoadedBy(['token', ...profile])

    expect(loaded).toContain('src/stored-token/serve-stored-token.ts')
    expect(loaded).toContain('../store-file/src/file-store.ts')
    expect(loaded.filter((source) => notForAStoredToken.test(source))).toEqual([])
    // Nothing left to Node to find in a package: the bundle's own files hold all of it.
    expect(loaded.filter((source) => source.startsWith('file:'))).toEqual([])
  })

  it('loads the full command line for a token it must refresh', async () => {
    const loaded = await sourcesLoadedBy(['token', ...profile, '--force-refresh'])

    expect(loaded).toContain('src/run-program.ts')
    expect(loaded).toContain('../core/src/machine/machine.ts')
    expect(loaded.some((source) => source.includes('/commander/'))).toBe(true)
  })

  it('prints an Authorization header with --header', async () => {
    const plain = (await world.run(['token', ...profile])).stdout.trim()
    const result = await world.run(['token', ...profile, '--header'])

    expect(result.stdout).toBe(`Authorization: Bearer ${plain}\n`)
  })

  it('prints shell export lines with --env', async () => {
    const plain = (await world.run(['token', ...profile])).stdout.trim()
    const result = await world.run(['token', ...profile, '--env'])

    expect(result.stdout).toMatch(
      new RegExp(
        `^export KEYWAY_ACCESS_TOKEN=${plain}\\nexport KEYWAY_TOKEN_TYPE=Bearer\\n` +
          `export KEYWAY_TOKEN_SCOPES='?[a-z_ ]+'?\\nexport KEYWAY_TOKEN_EXPIRES_AT=\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\n$`,
      ),
    )
  })

  it('prints the token, its type, expiry and scopes with --json', async () => {
    const plain = (await world.run(['token', ...profile])).stdout.trim()
    const result = await world.run(['token', ...profile, '--json'])

    const printed = JSON.parse(result.stdout)
    expect(printed).toEqual({
      accessToken: plain,
      tokenType: 'Bearer',
      expiresAt: expect.stringMatching(/Z$/),
      expiresIn: expect.any(Number),
      scopes: expect.arrayContaining(['openid']),
    })
    expect(printed.expiresIn).toBeGreaterThan(3000)
  })

  it('refuses two output formats at once', async () => {
    const result = await world.run(['token', ...profile, '--header', '--json'])

    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Choose one of --json, --header and --env.')
  })

  it('refreshes exactly once when less than --min-ttl is left, then serves the new token', async () => {
    const before = (await world.run(['token', ...profile])).stdout
    const refreshed = await world.run(['token', ...profile, '--min-ttl', '7200'])
    expect(refreshed.code).toBe(0)
    expect(refreshes()).toBe(1)
    expect(refreshed.stdout).not.toBe(before)

    const again = await world.run(['token', ...profile])
    expect(again.stdout).toBe(refreshed.stdout)
    expect(refreshes()).toBe(1)
    expect((await userinfo(world.dev, again.stdout.trim())).status).toBe(200)
  })

  it('refreshes with --force-refresh, whatever the expiry', async () => {
    const result = await world.run(['token', ...profile, '--force-refresh'])

    expect(result.code).toBe(0)
    expect(refreshes()).toBe(1)
  })

  it('exits with 4 and the exact login command when there is no profile', async () => {
    const result = await world.run(['token', '--profile', 'nobody'])

    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(
      'Run: keyway login --profile nobody --issuer <url> --client-id <id>\n',
    )
  })
})

describe('keyway token once the grant is revoked', () => {
  it('exits with 4, never starts a login, and prints the command to run', async () => {
    world.dev.revokeAllGrants()
    const result = await world.run(['token', ...profile, '--force-refresh', '--json'])

    expect(result.code).toBe(4)
    expect(world.dev.counters.requests.authorization).toBe(0)
    expect(world.dev.counters.grantErrors['refresh_token:invalid_grant']).toBe(1)
    expect(result.stderr).toMatch(/^keyway: .+ Log in again\.\nRun: keyway login --profile work\n$/)
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'login_required',
        message: expect.any(String),
        exitCode: 4,
        loginCommand: 'keyway login --profile work',
      },
    })

    const later = await world.run(['token', ...profile])
    expect(later.code).toBe(4)
  })
})
