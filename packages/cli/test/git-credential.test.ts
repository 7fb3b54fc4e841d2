import { mkdir, writeFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { makeSelfSignedCertificate, requireProgram } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from './support/cli-process.js'
import { useCliWorld } from './support/cli-world.js'
import { type GitHttpServer, startGitHttpServer } from './support/git-http-server.js'
import { modulesLoadedBy, notForAStoredToken } from './support/loaded-modules.js'
import { runProgram } from './support/run-program.js'
import { expectNoSecret } from './support/secrets.js'

const git = requireProgram('git', 'the git credential helper tests', '/usr/bin/git')
const openssl = requireProgram('openssl', 'the git credential helper tests (the certificate)')

const world = useCliWorld()
const refreshes = () => world.dev.counters.grants.refresh_token ?? 0

/** The second bin, `git-credential-keyway`, as npm links it: a program on PATH. */
const GIT_BIN = BIN.replace(/bin\.cjs$/, 'git-credential-bin.cjs')

describe.skipIf(!git || !openssl)('git with keyway git-credential', () => {
  let forge: GitHttpServer | undefined
  const printed: string[] = []
  const folder = (name: string) => join(world.configDir, name)
  let clones = 0

  /** git with a clean configuration: no system file, the test's own global one, no prompts. */
  const runGit = async (args: readonly string[], input?: string) => {
    const env = world.env({
      HOME: folder('home'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: folder('gitconfig'),
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GIT_SSL_CAINFO: folder('cert.pem'),
      PATH: `${folder('bin')}${delimiter}${process.env.PATH}`,
    })
    const result = await runProgram(git!, args, env, input)
    printed.push(result.stderr)
    return result
  }
  const clone = () => {
    clones += 1
    return runGit(['clone', '--quiet', `${forge!.origin}/repo.git`, folder(`clone-${clones}`)])
  }

  beforeAll(async () => {
    await mkdir(folder('home'), { recursive: true })
    await mkdir(folder('forge'), { recursive: true })
    await mkdir(folder('bin'), { recursive: true })
    const shim = `#!/bin/sh\nexec '${process.execPath}' '${GIT_BIN}' "$@"\n`
    await writeFile(join(folder('bin'), 'git-credential-keyway'), shim, { mode: 0o755 })
    const tls = await makeSelfSignedCertificate(openssl!, world.configDir)
    const { stdout: gitExec } = await runProgram(git!, ['--exec-path'], process.env)
    forge = await startGitHttpServer(world.dev, tls, gitExec.trim(), folder('forge'))
    // No helper yet: the repository is made locally, then served.
    await writeFile(folder('gitconfig'), '')
    const identity = ['-c', 'user.name=Keyway', '-c', 'user.email=keyway@example.test']
    await runGit(['init', '--quiet', folder('work')])
    await runGit([
      '-C',
      folder('work'),
      ...identity,
      'commit',
      '--quiet',
      '--allow-empty',
      '-m',
      'first',
    ])
    await runGit(['clone', '--quiet', '--bare', folder('work'), join(folder('forge'), 'repo.git')])
    // The profile is named after the host git asks for: no --profile in the helper.
    const login = await world.pasteLogin([...world.loginArgs(forge.host), '--paste'])
    expect(login.code).toBe(0)
    // `helper = keyway` runs git-credential-keyway, the second bin.
    await writeFile(folder('gitconfig'), `[credential "${forge.origin}"]\n\thelper = keyway\n`)
  })
  afterAll(async () => {
    await forge?.close()
  })

  it('git credential fill gets the access token as the password, user oauth2', async () => {
    const request = `protocol=https\nhost=${forge!.host}\n\n`
    const result = await runGit(['credential', 'fill'], request)

    expect(result.code, result.stderr).toBe(0)
    const answer = new Map(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    )
    expect(answer.get('username')).toBe('oauth2')
    expect(
      answer.get('password') === (await world.storedTokensOf(forge!.host))?.accessToken,
      'the stored token',
    ).toBe(true)
    expect(world.dev.counters.requests.token).toBe(0)
  })

  it('answers nothing for a host no profile serves, so git asks elsewhere', async () => {
    const helper = world.start(['git-credential', 'get'])
    for (const line of ['protocol=https', 'host=forge.invalid', '']) helper.type(line)
    helper.endInput()
    const result = await helper.done

    expect(result).toEqual({ code: 0, stdout: '', stderr: '' })
  })

  it('ignores an action it does not know, as git asks of helpers', async () => {
    const helper = world.start(['git-credential', '--profile', forge!.host, 'capability'])
    helper.endInput()

    expect(await helper.done).toEqual({ code: 0, stdout: '', stderr: '' })
  })

  it('answers nothing for plain http, where the token would travel in the clear', async () => {
    const helper = world.start(['git-credential', '--profile', forge!.host, 'get'])
    for (const line of ['protocol=http', `host=${forge!.host}`, '']) helper.type(line)
    helper.endInput()

    expect(await helper.done).toEqual({ code: 0, stdout: '', stderr: '' })
  })

  it('clones over HTTPS with the token', async () => {
    const result = await clone()

    expect(result.code, result.stderr).toBe(0)
    expect(forge!.answered.accepted).toBeGreaterThan(0)
    expect(refreshes()).toBe(0)
  })

  it('after a rejected token, fails once, then refreshes once and clones', async () => {
    forge!.rejectNextValidToken()
    const rejected = await clone()
    expect(rejected.code).not.toBe(0)
    expect(rejected.stderr).toContain('Authentication failed')
    expect(refreshes()).toBe(0)

    const again = await clone()
    expect(again.code, again.stderr).toBe(0)
    expect(refreshes()).toBe(1)

    const later = await clone()
    expect(later.code, later.stderr).toBe(0)
    expect(refreshes()).toBe(1)
  })

  it('serves a fresh token without commander, xstate or the protocol', async () => {
    const args = ['git-credential', '--profile', forge!.host, 'get']
    const input = ['protocol=https', `host=${forge!.host}`, '']
    const { result, loaded } = await modulesLoadedBy(world, args, {}, input)

    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^username=oauth2\npassword=\S+\npassword_expiry_utc=\d+\n$/)
    expect(loaded).toContain('src/stored-token/serve-stored-token.ts')
    expect(loaded.filter((url) => notForAStoredToken.test(url))).toEqual([])
  })

  it('never prints a token on stderr', async () => {
    expectNoSecret(printed.join('\n'), await world.storedTokens())
  })
})
