import { type DPoPResourceServer, startDPoPResourceServer } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useCliWorld } from './support/cli-world.js'

const world = useCliWorld({ resourceServers: ['https://api.example.test/'] })
const profile = ['--profile', 'bound']
let server: DPoPResourceServer

beforeAll(async () => {
  server = await startDPoPResourceServer({ dev: world.dev })
  const { issuer, clients } = world.dev
  const login = await world.pasteLogin([
    ...['login', ...profile, '--issuer', issuer, '--client-id', clients.dpop.clientId],
    ...['--store', 'file', '--paste', '--dpop'],
  ])
  expect(login.code).toBe(0)
})
afterAll(async () => {
  await server?.close()
})

/** The header lines `keyway token --header` printed, by name. */
function headerLines(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  )
}

describe('keyway login --dpop, keyway token --header', () => {
  it('keeps a DPoP-bound grant: the token type is DPoP, and no secret is printed', async () => {
    const result = await world.run(['token', ...profile, '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ tokenType: 'DPoP' })
    const key = (await world.storedTokens()).at(-1)!
    expect(result.stdout + result.stderr).not.toContain(key)
  })

  it('--header asks for the request a DPoP proof is made for', async () => {
    const result = await world.run(['token', ...profile, '--header'])
    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('--url')
  })

  it('--header --url prints the Authorization and DPoP lines, which the resource server accepts', async () => {
    const url = new URL('me', server.url)
    for (const extra of [[], ['--force-refresh']]) {
      const result = await world.run(['token', ...profile, '--header', '--url', url.href, ...extra])
      expect(result).toMatchObject({ code: 0, stderr: '' })
      const headers = headerLines(result.stdout)
      expect(Object.keys(headers)).toEqual(['Authorization', 'DPoP'])
      expect(headers.Authorization).toMatch(/^DPoP \S+$/)
      const response = await fetch(url, {
        headers: { authorization: headers.Authorization!, dpop: headers.DPoP! },
      })
      expect(response.status).toBe(200)
    }
    expect(world.dev.counters.grants.refresh_token).toBe(1)
    expect(server.refusals).toEqual([])
  })

  it('--method makes the proof for another method: used for GET, it is refused', async () => {
    const url = new URL('me', server.url)
    const result = await world.run([
      'token',
      ...profile,
      '--header',
      '--url',
      url.href,
      '--method',
      'post',
    ])
    const headers = headerLines(result.stdout)
    const response = await fetch(url, {
      headers: { authorization: headers.Authorization!, dpop: headers.DPoP! },
    })
    expect(response.status).toBe(401)
    expect(server.refusals).toEqual(['wrong method'])
  })
})

describe('keyway login --resource', () => {
  it('asks for the resource, saves it in the profile, and the token is for it', async () => {
    const { issuer, clients } = world.dev
    const login = await world.pasteLogin([
      ...['login', '--profile', 'api', '--issuer', issuer, '--client-id', clients.native.clientId],
      ...['--scope', 'openid offline_access api:read', '--resource', 'https://api.example.test/'],
      ...['--store', 'file', '--paste'],
    ])
    expect(login.code).toBe(0)
    const token = await world.run(['token', '--profile', 'api', '--force-refresh'])
    expect(token.code).toBe(0)
    const claims = JSON.parse(
      Buffer.from(token.stdout.trim().split('.')[1]!, 'base64url').toString(),
    )
    expect(claims.aud).toBe('https://api.example.test/')
    const status = await world.run(['status', '--profile', 'api'])
    expect(status.stdout).toContain('https://api.example.test/')
  })
})

describe('the DPoP setting is saved in the profile', () => {
  const saved = ['--profile', 'kept']

  /** The stored record's DPoP key and the token type `keyway token --json` reports. */
  async function binding() {
    const token = await world.run(['token', ...saved, '--json'])
    expect(token.code).toBe(0)
    const stored = await world.storedTokensOf('kept')
    return {
      tokenType: JSON.parse(token.stdout).tokenType as string,
      keyed: stored?.dpopKey !== undefined,
    }
  }

  /** The DPoP line of `keyway status --json`, when it shows one. */
  async function statusDpop(extra: NodeJS.ProcessEnv = {}, args: readonly string[] = []) {
    const status = await world.run(['status', ...saved, '--json', ...args], extra)
    expect(status.code).toBe(0)
    return JSON.parse(status.stdout).settings.dpop as { value: string; source: string } | undefined
  }

  it('a later login without --dpop stays DPoP-bound; --no-dpop turns it off again', async () => {
    const { issuer, clients } = world.dev
    const first = ['login', ...saved, '--issuer', issuer, '--client-id', clients.native.clientId]
    expect((await world.pasteLogin([...first, '--store', 'file', '--paste', '--dpop'])).code).toBe(
      0,
    )
    expect(await binding()).toEqual({ tokenType: 'DPoP', keyed: true })
    expect(await statusDpop()).toEqual({ value: 'on', source: 'profile kept' })

    expect((await world.pasteLogin(['login', ...saved, '--paste'])).code).toBe(0)
    expect(await binding()).toEqual({ tokenType: 'DPoP', keyed: true })

    expect((await world.pasteLogin(['login', ...saved, '--paste', '--no-dpop'])).code).toBe(0)
    expect(await binding()).toEqual({ tokenType: 'Bearer', keyed: false })
    expect(await statusDpop()).toBeUndefined()
  })

  it('KEYWAY_DPOP turns it on and off, below the flag', async () => {
    expect(await statusDpop({ KEYWAY_DPOP: '1' })).toEqual({ value: 'on', source: 'KEYWAY_DPOP' })
    expect(await statusDpop({ KEYWAY_DPOP: '0' })).toEqual({ value: 'off', source: 'KEYWAY_DPOP' })
    expect(await statusDpop({ KEYWAY_DPOP: '1' }, ['--no-dpop'])).toEqual({
      value: 'off',
      source: '--no-dpop',
    })
    expect(
      (await world.pasteLogin(['login', ...saved, '--paste'], { KEYWAY_DPOP: '1' })).code,
    ).toBe(0)
    expect(await binding()).toEqual({ tokenType: 'DPoP', keyed: true })
    expect(await statusDpop()).toEqual({ value: 'on', source: 'profile kept' })
  })
})
