import { readFile } from 'node:fs/promises'
import { KeywayError, KeywayErrorCodes } from '@keyway/core'
import { describe, expect, it } from 'vitest'
import { ExitCode, exitCodeFor, VERSION } from '../src/index.js'
import { useCliWorld } from './support/cli-world.js'

const world = useCliWorld()

describe('the keyway command', () => {
  it('prints the version of its package', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
    expect(VERSION).toBe(pkg.version)
    expect(await world.run(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
  })

  it('documents precedence, the config folder and the exit codes in --help', async () => {
    const help = await world.run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain(
      'Settings come from, in this order: a flag, its KEYWAY_* variable, the saved\nprofile, the default.',
    )
    expect(help.stdout).toContain(
      'Exit codes: 0 done, 1 error, 2 cancelled (Ctrl-C or timeout),\n4 login required',
    )
    expect(help.stdout).toContain('(env: KEYWAY_CLIENT_ID)')
  })

  it('names the kubectl credential command and the git credential helper in --help', async () => {
    const help = (await world.run(['--help'])).stdout.replace(/\s+/g, ' ')
    expect(help).toMatch(/kubectl-credential \[options\] kubectl's exec credential plugin/)
    expect(help).toMatch(
      /git-credential \[options\] <action> git's credential helper \(git-credential-keyway\)/,
    )
  })

  it('exits with 1 on a wrong command line', async () => {
    const result = await world.run(['token', '--no-such-flag'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("error: unknown option '--no-such-flag'")
  })

  it('maps errors to the documented exit codes', () => {
    const error = (code: (typeof KeywayErrorCodes)[keyof typeof KeywayErrorCodes]) =>
      new KeywayError(code, 'x')
    expect(exitCodeFor(error(KeywayErrorCodes.aborted))).toBe(ExitCode.cancelled)
    expect(exitCodeFor(error(KeywayErrorCodes.timeout))).toBe(2)
    expect(exitCodeFor(error(KeywayErrorCodes.loginRequired))).toBe(4)
    expect(exitCodeFor(error(KeywayErrorCodes.network))).toBe(1)
    expect(exitCodeFor(new Error('x'))).toBe(1)
  })
})
