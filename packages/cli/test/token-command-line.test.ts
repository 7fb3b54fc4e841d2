import { describe, expect, it } from 'vitest'
import { readTokenCommandLine } from '../src/stored-token/token-command-line.js'

const noEnv = {}

describe('the stored-token path reading a keyway token command line', () => {
  it('reads global options before and after token, as --flag value and --flag=value', () => {
    const line = readTokenCommandLine(
      ['--json', 'token', '--profile=work', '--store', 'file', '--min-ttl', '5', '--no-input'],
      noEnv,
    )

    expect(line).toEqual({
      common: {
        profile: { value: 'work', source: { kind: 'flag', flag: '--profile' } },
        json: true,
        verbose: false,
        input: false,
        given: { store: { value: 'file', source: { kind: 'flag', flag: '--store' } } },
      },
      token: { minTtl: '5', forceRefresh: false, header: false, env: false },
    })
  })

  it('takes settings not on the line from their variables, the flag first', () => {
    const env = { KEYWAY_PROFILE: 'home', KEYWAY_STORE: 'redis://x', KEYWAY_CLIENT_ID: 'cli' }
    const line = readTokenCommandLine(['token', '--store', 'file', '--header'], env)

    expect(line?.common.profile).toEqual({
      value: 'home',
      source: { kind: 'env', variable: 'KEYWAY_PROFILE' },
    })
    expect(line?.common.given).toEqual({
      clientId: { value: 'cli', source: { kind: 'env', variable: 'KEYWAY_CLIENT_ID' } },
      store: { value: 'file', source: { kind: 'flag', flag: '--store' } },
    })
    expect(line?.token.header).toBe(true)
  })

  it('reads --id-token after token', () => {
    expect(readTokenCommandLine(['token', '--id-token', '--header'], noEnv)?.token).toEqual({
      forceRefresh: false,
      header: true,
      env: false,
      idToken: true,
    })
  })

  it.each([
    ['another command', ['status']],
    ['no command', ['--profile', 'work']],
    ['help', ['token', '--help']],
    ['a trace', ['token', '--verbose']],
    ['an unknown option', ['token', '--shiny']],
    ['a repeated option', ['token', '--profile', 'a', '--profile', 'b']],
    ["token's own option before token", ['--min-ttl', '5', 'token']],
    ['a value that looks like an option', ['token', '--min-ttl', '-5']],
    ['a missing value', ['token', '--profile']],
    ['a value on a switch', ['token', '--json=yes']],
    ['a stray word', ['token', 'extra']],
    ['the end of options', ['token', '--']],
    ['a short option', ['token', '-h']],
  ])('leaves %s to the full command line', (_, argv) => {
    expect(readTokenCommandLine(argv, noEnv)).toBeUndefined()
  })
})
