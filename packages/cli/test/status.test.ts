import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'
import { expectNoSecret } from './support/secrets.js'

const world = useCliWorld()
const secret = 'keyway-dev-secret-not-for-production'

beforeAll(async () => {
  const { issuer, clients } = world.dev
  const login = await world.pasteLogin([
    'login',
    '--profile',
    'ops',
    '--issuer',
    issuer,
    '--client-id',
    clients.confidential.clientId,
    '--client-secret',
    clients.confidential.clientSecret,
    '--scope',
    'openid offline_access email',
    '--store',
    'file',
    '--paste',
  ])
  expect(login.code).toBe(0)
})

describe('keyway status', () => {
  it('says who, the scopes, the expiry, the store and where each value comes from', async () => {
    const result = await world.run(['status', '--store', 'file'], { KEYWAY_PROFILE: 'ops' })

    expect(result.code).toBe(0)
    const tokens = join(world.configDir, 'tokens.json')
    const lines = result.stdout.split('\n').map((line) => line.trimEnd().replace(/ {2,}/g, ' | '))
    expect(lines).toEqual([
      'profile | ops | from KEYWAY_PROFILE',
      'provider | generic (OpenID Connect) | from profile ops',
      `issuer | ${world.dev.issuer} | from profile ops`,
      'client id | keyway-confidential | from profile ops',
      'client secret | **** (set) | from profile ops',
      'scopes | openid offline_access email | from profile ops',
      `store | file ${tokens} (plaintext) | from --store`,
      `config file | ${join(world.configDir, 'config.json')}`,
      '',
      'logged in as | alice',
      'grant | valid',
      expect.stringMatching(/^access token \| expires in (59|60) minutes \(\d{4}-.+Z\)$/),
      'granted | openid email',
      'refresh token | yes',
      `token from | file ${tokens} (plaintext)`,
      '',
    ])
    expect(result.stderr).toBe('')
  })

  it('prints no token and no secret, as text or as JSON', async () => {
    const text = await world.run(['status', '--profile', 'ops'])
    const json = await world.run(['status', '--profile', 'ops', '--json'])

    expectNoSecret(text.stdout + text.stderr + json.stdout + json.stderr, [
      ...(await world.storedTokens()),
      secret,
    ])
    expect(JSON.parse(json.stdout)).toMatchObject({
      profile: 'ops',
      grant: 'valid',
      subject: 'alice',
      refreshToken: true,
      settings: { clientSecret: { value: '**** (set)', source: 'profile ops' } },
    })
  })

  it('makes no request: nothing is refreshed to answer', async () => {
    await world.run(['status', '--profile', 'ops'])

    expect(world.dev.counters.requests).toMatchObject({ token: 0, discovery: 0 })
  })

  it('exits with 4 and says how to log in when there is no grant', async () => {
    const result = await world.run(['status', '--profile', 'ops', '--client-id', 'keyway-native'])

    expect(result.code).toBe(4)
    expect(result.stdout).toMatch(/^grant +none: not logged in$/m)
    expect(result.stderr).toBe('Run: keyway login --profile ops --client-id keyway-native\n')
  })
})
