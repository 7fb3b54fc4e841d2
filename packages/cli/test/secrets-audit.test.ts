import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ScriptedBrowser } from '@keyway/testing'
import { describe, expect, it } from 'vitest'
import { authorizationUrl, completeUri, useCliWorld } from './support/cli-world.js'
import { type AuditedRun, useSecretAudit } from './support/secret-audit.js'
import {
  type AuditedOutput,
  type SearchedSecret,
  secretHits,
  withoutServedProof,
  withoutServedToken,
} from './support/secret-search.js'

// Each command, and the ways a login or a grant fails, run with a recorder in the process
// (`node --import`) that notes each secret its `fetch` sends or receives; then everything the
// runs printed, and every file they wrote but the token store, is searched for each of them.
const audit = useSecretAudit()
const world = useCliWorld()
/** Refresh tokens and device codes that die in a second, for the expired-grant paths. */
const shortLived = useCliWorld({ refreshTokenTtl: 1000, deviceCodeTtl: 1000 })
const cli = audit.on(world)
const expiring = audit.on(shortLived)

const wrongSecret = `wrong-${randomBytes(12).toString('hex')}`
const profile = (name: string) => ['--profile', name]

/** The login settings of the dev provider's confidential client, its secret given apart. */
function confidentialLogin(name: string): string[] {
  const { issuer, clients } = world.dev
  const client = ['--client-id', clients.confidential.clientId]
  return ['login', ...profile(name), '--issuer', issuer, ...client, '--store', 'file', '--paste']
}

const withSecret = (secret: string) => ({ KEYWAY_CLIENT_SECRET: secret })

/** The answer the browser was sent to, with its state changed as `change` says. */
function withState(callback: URL, change: (state: string) => string): string {
  const url = new URL(callback)
  url.searchParams.set('state', change(url.searchParams.get('state') ?? ''))
  return url.href
}

const valuesOf = (secrets: readonly SearchedSecret[], kind: string) =>
  secrets.filter((secret) => secret.kind === kind).map((secret) => secret.value)

/**
 * Every output of the runs: stdout, less the token (and the DPoP proof) a run serves on
 * purpose (see `servedOnPurpose`), and stderr, all of it.
 */
function runOutputs(runs: readonly AuditedRun[], recorded: readonly SearchedSecret[]) {
  return runs.flatMap(({ label, result, serves }) => {
    const token =
      serves === undefined
        ? undefined
        : withoutServedToken(result.stdout, valuesOf(recorded, serves.token))
    const proof = serves?.proof === true ? withoutServedProof(token!.rest) : undefined
    const outputs: AuditedOutput[] = [
      { name: `${label}: stdout`, text: proof?.rest ?? token?.rest ?? result.stdout },
      { name: `${label}: stderr`, text: result.stderr },
    ]
    return [{ label, code: result.code, served: token?.served, proved: proof?.proved, outputs }]
  })
}

describe('logging in', () => {
  it('by paste, traced on stderr', async () => {
    const login = await cli.pasteLogin('login --paste --verbose', [
      ...world.loginArgs('paste'),
      '--paste',
      '--verbose',
    ])
    expect(login.code).toBe(0)
  })

  it('on the loopback server, traced to a file', async () => {
    const trace = { KEYWAY_TRACE: join(world.configDir, 'trace.log') }
    const login = cli.start(
      'login --no-browser',
      [...world.loginArgs('loopback'), '--no-browser', '--no-input'],
      trace,
    )
    const [, url] = await login.waitFor(authorizationUrl)
    expect((await audit.browse(url!)).landed?.status).toBe(200)
    expect((await login.done).code).toBe(0)
  })

  it('with the device flow', async () => {
    const login = cli.start('login --device --json', [
      ...world.loginArgs('device'),
      '--device',
      '--json',
    ])
    const [, uri] = await login.waitFor(completeUri)
    expect(await new ScriptedBrowser().confirmDevice(uri!)).toMatchObject({ approved: true })

    expect((await login.done).code).toBe(0)
  })

  it('as a confidential client, its secret in KEYWAY_CLIENT_SECRET', async () => {
    const { clientSecret } = world.dev.clients.confidential
    const login = await cli.pasteLogin(
      'login confidential --verbose',
      [...confidentialLogin('ops'), '--verbose'],
      {
        extra: withSecret(clientSecret),
      },
    )
    expect(login.code).toBe(0)
  })

  it('after pasting what is cut off, from another attempt, or not an address', async () => {
    const login = await cli.pasteLogin(
      'login --paste, malformed answers first',
      [...world.loginArgs('patient'), '--paste'],
      {
        answers: (callback) => [
          withState(callback, (state) => state.slice(0, 8)),
          withState(callback, (state) => `x${state.slice(1)}`),
          `${callback.href.slice(0, 30)} ${callback.searchParams.get('code')}`,
          'yes',
          callback.href,
        ],
      },
    )
    expect(login.code).toBe(0)
    expect(login.stderr).toContain('(1 try left)')
  })
})

describe('using the grant', () => {
  it('prints the token in each format, refreshing when asked', async () => {
    const results = [
      await cli.run('token', ['token', ...profile('paste')]),
      await cli.run('token --header', ['token', ...profile('paste'), '--header']),
      await cli.run('token --env', ['token', ...profile('paste'), '--env']),
      await cli.run('token --json', ['token', ...profile('paste'), '--json']),
      await cli.run('token --min-ttl', ['token', ...profile('paste'), '--min-ttl', '7200']),
      await cli.run('token --force-refresh --verbose', [
        'token',
        ...profile('device'),
        '--force-refresh',
        '--verbose',
      ]),
    ]
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0, 0, 0])
    expect(world.dev.counters.grants.refresh_token).toBe(2)
  })

  it('refreshes a confidential client, traced to a file', async () => {
    const { clientSecret } = world.dev.clients.confidential
    const result = await cli.run(
      'token confidential --force-refresh',
      ['token', ...profile('ops'), '--force-refresh'],
      {
        ...withSecret(clientSecret),
        KEYWAY_TRACE: join(world.configDir, 'trace.log'),
      },
    )
    expect(result.code).toBe(0)
  })

  it('reports the status and checks the setup', async () => {
    const { clientSecret } = world.dev.clients.confidential
    const results = [
      await cli.run('status', ['status', ...profile('paste')]),
      await cli.run(
        'status --json',
        ['status', ...profile('ops'), '--json'],
        withSecret(clientSecret),
      ),
      await cli.run(
        'doctor --verbose',
        ['doctor', ...profile('ops'), '--verbose'],
        withSecret(clientSecret),
      ),
    ]
    expect(results.map((result) => result.code)).toEqual([0, 0, 0])
  })

  it('logs out, revoking the grant', async () => {
    const result = await cli.run('logout', ['logout', ...profile('paste')], { KEYWAY_TRACE: '1' })
    expect(result.code).toBe(0)
    expect(world.dev.counters.requests.revocation).toBe(2)
  })
})

describe('handing the grant on, as the helpers do', () => {
  // Each of these hands a secret on by design: kubectl-credential's stdout (the
  // ExecCredential), git-credential get's stdout (the password), run's child's environment,
  // token --id-token's stdout, token --header --url's stdout (with a DPoP proof for that
  // request). Nothing else they print may hold one: stderr, a trace, another copy.
  const handed = profile('handed')
  const bound = profile('bound')
  const gitRequest = ['protocol=https', 'host=git.example.test']
  /** Reaches the access token's expiry: every run with it refreshes first. */
  const refreshFirst = ['--min-ttl', '7200']

  /** `keyway git-credential …args` with git's request (and `more`) on its input. */
  function gitCredential(label: string, args: readonly string[], more: readonly string[] = []) {
    const helper = cli.start(label, ['git-credential', ...handed, ...args])
    for (const line of [...gitRequest, ...more, '']) helper.type(line)
    helper.endInput()
    return helper.done
  }

  /** `keyway run …options -- node -e script`. */
  const runNode = (script: string, options: readonly string[] = []) =>
    ['run', ...handed, ...options, '--', process.execPath, '-e', script] as const
  const usesToken = 'process.exit(process.env.KEYWAY_ACCESS_TOKEN ? 0 : 3)'

  it('logs in: a profile to hand on, and a DPoP-bound one', async () => {
    const { issuer, clients } = world.dev
    const logins = [
      await cli.pasteLogin('login handed', [...world.loginArgs('handed'), '--paste']),
      await cli.pasteLogin('login --dpop', [
        ...['login', ...bound, '--issuer', issuer, '--client-id', clients.dpop.clientId],
        ...['--store', 'file', '--paste', '--dpop'],
      ]),
    ]
    expect(logins.map((login) => login.code)).toEqual([0, 0])
    // The key's private part goes over no wire: the recorder cannot see it, so it is told.
    const key = (await world.storedTokensOf('bound'))?.dpopKey?.d
    expect(key, 'the DPoP-bound grant keeps its key').toBeTypeOf('string')
    audit.know({ kind: 'dpop_private_key', value: key!, via: 'the token store' })
  })

  it('kubectl-credential prints the ExecCredential, refreshing with --verbose', async () => {
    const results = [
      await cli.run('kubectl-credential', ['kubectl-credential', ...handed]),
      await cli.run('kubectl-credential --verbose, refreshing', [
        ...['kubectl-credential', ...handed, ...refreshFirst, '--verbose'],
      ]),
    ]
    expect(results.map((result) => result.code)).toEqual([0, 0])
    expect(JSON.parse(results[0]!.stdout)).toMatchObject({ kind: 'ExecCredential' })
    expect(results[1]!.stderr).toMatch(/^trace .*POST .*\/token/m)
  })

  it('git-credential get answers the password; erase of it makes the next get refresh', async () => {
    const passwordOf = (answer: string) => /^password=(.+)$/m.exec(answer)?.[1]
    const get = await gitCredential('git-credential get', ['get'])
    const password = passwordOf(get.stdout)
    expect(password, 'get answered a password').toBeTypeOf('string')
    // --verbose takes the full command line, not the one served from the store.
    const erase = await gitCredential(
      'git-credential erase --verbose',
      ['erase', '--verbose'],
      [`password=${password}`],
    )
    const again = await gitCredential('git-credential get --verbose, refreshing the erased', [
      ...['get', '--verbose'],
    ])
    const renewed = passwordOf(again.stdout)
    const eraseAgain = await gitCredential(
      'git-credential erase',
      ['erase'],
      [`password=${renewed}`],
    )
    expect([get.code, erase.code, again.code, eraseAgain.code]).toEqual([0, 0, 0, 0])
    expect(renewed, 'the next get answered a password').toBeTypeOf('string')
    expect(renewed === password, 'the next get answered the erased password again').toBe(false)
    expect(again.stderr).toMatch(/^trace .*POST .*\/token/m)
  })

  it('run hands the token to the child only, whether it runs, fails or is missing', async () => {
    const results = [
      await cli.run('run -- node', runNode(usesToken)),
      await cli.run(
        'run --verbose, refreshing',
        runNode(usesToken, [...refreshFirst, '--verbose']),
      ),
      await cli.run('run, the child fails', runNode("console.error('it failed'); process.exit(7)")),
      await cli.run('run --verbose, the program is missing', [
        ...['run', ...handed, '--verbose', '--', join(world.configDir, 'no-such-program')],
      ]),
    ]
    expect(results.map((result) => result.code)).toEqual([0, 0, 7, 1])
    expect(results[1]!.stderr).toMatch(/^trace .*POST .*\/token/m)
    expect(results[3]!.stderr).toContain('Cannot run')
  })

  it('token --id-token prints the ID token, refreshing with --verbose', async () => {
    const results = [
      await cli.run('token --id-token', ['token', ...handed, '--id-token']),
      await cli.run('token --id-token --force-refresh --verbose', [
        ...['token', ...handed, '--id-token', '--force-refresh', '--verbose'],
      ]),
    ]
    expect(results.map((result) => result.code)).toEqual([0, 0])
  })

  it('token --header --url of a DPoP-bound grant prints its proof, refreshing with --verbose', async () => {
    const request = ['--header', '--url', 'https://api.example.test/me']
    const results = [
      await cli.run('token --header --url, DPoP', ['token', ...bound, ...request]),
      await cli.run('token --header --url --force-refresh --verbose, DPoP', [
        ...['token', ...bound, ...request, '--force-refresh', '--verbose'],
      ]),
    ]
    expect(results.map((result) => result.code)).toEqual([0, 0])
    for (const result of results) expect(result.stdout).toMatch(/^Authorization: DPoP \S+\nDPoP: /)
    expect(results[1]!.stderr).toMatch(/^trace .*dpop: \*{4}$/m)
  })
})

describe('failing', () => {
  it('when consent is denied: by paste, on the loopback server, on the device page', async () => {
    const pasted = await cli.pasteLogin(
      'login --paste, denied',
      [...world.loginArgs('denied'), '--paste'],
      {
        consent: { decision: 'deny' },
      },
    )
    const loopback = cli.start('login --no-browser, denied', [
      ...world.loginArgs('denied'),
      '--no-browser',
      '--no-input',
    ])
    const [, url] = await loopback.waitFor(authorizationUrl)
    await audit.browse(url!, { decision: 'deny' })
    const device = cli.start('login --device, denied', [
      ...world.loginArgs('denied'),
      '--device',
      '--verbose',
    ])
    const [, uri] = await device.waitFor(completeUri)
    await new ScriptedBrowser().confirmDevice(uri!, { decision: 'deny' })

    const results = [pasted, await loopback.done, await device.done]
    expect(results.map((result) => result.code)).toEqual([1, 1, 1])
    for (const result of results) expect(result.stderr).toMatch(/denied|access_denied/)
  })

  it('when the pasted code is wrong, or no answer comes', async () => {
    const mangled = await cli.pasteLogin(
      'login --paste, a mangled code',
      [...world.loginArgs('mangled'), '--paste', '--verbose'],
      {
        // The code backwards: as long as a code, and not one the provider issued.
        answers: (callback) => [[...callback.searchParams.get('code')!].reverse().join('')],
      },
    )
    const ended = await cli.pasteLogin(
      'login --paste, input ends',
      [...world.loginArgs('ended'), '--paste'],
      {
        answers: () => [],
      },
    )

    expect([mangled.code, ended.code]).toEqual([1, 2])
    expect(world.dev.counters.grantErrors['authorization_code:invalid_grant']).toBe(1)
    expect(ended.stderr).toContain('The input ended before an address or a code was pasted.')
  })

  it('when the client secret is wrong: at login (as a flag) and at refresh', async () => {
    const login = await cli.pasteLogin('login confidential, wrong --client-secret', [
      ...confidentialLogin('wrong'),
      '--client-secret',
      wrongSecret,
      '--verbose',
    ])
    const refresh = await cli.run(
      'token confidential, wrong secret',
      ['token', ...profile('ops'), '--force-refresh', '--json'],
      withSecret(wrongSecret),
    )

    expect([login.code, refresh.code]).toEqual([1, 1])
    expect(world.dev.counters.grantErrors).toMatchObject({
      'authorization_code:invalid_client': 1,
      'refresh_token:invalid_client': 1,
    })
  })

  it('when the grant was revoked', async () => {
    world.dev.revokeAllGrants()
    const { clientSecret } = world.dev.clients.confidential
    const results = [
      await cli.run('token, revoked', [
        'token',
        ...profile('device'),
        '--force-refresh',
        '--verbose',
      ]),
      await cli.run('status, revoked', ['status', ...profile('device'), '--json']),
      await cli.run(
        'logout confidential, revoked',
        ['logout', ...profile('ops'), '--verbose'],
        withSecret(clientSecret),
      ),
    ]
    expect(results.map((result) => result.code)).toEqual([4, 4, 0])
    expect(world.dev.counters.grantErrors['refresh_token:invalid_grant']).toBe(1)
  })

  it('when the refresh token or the device code has expired', async () => {
    const login = await expiring.pasteLogin('login --paste, short-lived', [
      ...shortLived.loginArgs('expiring'),
      '--paste',
    ])
    expect(login.code).toBe(0)
    const device = await expiring.run('login --device, code expires', [
      ...shortLived.loginArgs('late'),
      '--device',
      '--verbose',
    ])
    // The refresh token lived a second; the device login above took longer than that.
    await sleep(1000)
    const refresh = await expiring.run('token, expired', [
      'token',
      ...profile('expiring'),
      '--force-refresh',
      '--verbose',
    ])

    expect([device.code, refresh.code]).toEqual([2, 4])
    expect(device.stderr).toContain('The code expired before anyone approved it.')
    expect(shortLived.dev.counters.grantErrors['refresh_token:invalid_grant']).toBe(1)
  })
})

/** Every recorded secret, searched for in every output of every run and every file written. */
async function searchEverything() {
  const ledger = await audit.ledger()
  const secrets = [...ledger.secrets, ...audit.known()]
  const runs = runOutputs(await audit.runs(), ledger.secrets)
  const files = await audit.writtenFiles()
  const outputs = [...runs.flatMap((run) => run.outputs), ...files, ...audit.seen()]
  return { ledger, secrets, runs, files, hits: secretHits(secrets, outputs), outputs }
}

describe('the search', () => {
  it('finds no recorded secret in any output of any run, nor in any file written', async () => {
    const { ledger, secrets, runs, files, outputs, hits } = await searchEverything()
    const kinds = [...new Set(secrets.map((secret) => secret.kind))].sort()
    const perKind = kinds.map((kind) => `${kind} ${valuesOf(secrets, kind).length}`)
    console.info(
      `secrets audit: ${secrets.length} secrets (${perKind.join(', ')}) × ${outputs.length} ` +
        `outputs (${runs.length} runs, ${files.length} files, ${audit.seen().length} pages): ` +
        `${hits.length} hits`,
    )

    expect(ledger.unread).toEqual([])
    expect(kinds).toEqual(
      expect.arrayContaining([
        'access_token',
        'authorization_code',
        'basic_credentials',
        'client_secret',
        'code_verifier',
        'device_code',
        'dpop_private_key',
        'dpop_proof',
        'id_token',
        'refresh_token',
      ]),
    )
    const recordedWrongSecret = valuesOf(ledger.secrets, 'client_secret').includes(wrongSecret)
    expect(recordedWrongSecret, 'the wrong client secret was recorded').toBe(true)
    // Each run that serves a token and succeeded printed exactly one recorded token of its
    // kind, and each `--header --url` of a DPoP-bound grant its proof.
    const served = runs.filter((run) => run.served !== undefined && run.code === 0)
    expect(served.map((run) => [run.label, run.served])).toEqual(
      served.map((run) => [run.label, 1]),
    )
    const proved = served.filter((run) => run.proved !== undefined)
    expect(proved.map((run) => [run.label, run.proved])).toEqual(
      proved.map((run) => [run.label, true]),
    )
    expect(served.map((run) => run.label)).toEqual(
      expect.arrayContaining([
        'kubectl-credential --verbose, refreshing',
        'git-credential get --verbose, refreshing the erased',
        'token --id-token --force-refresh --verbose',
        'token --header --url --force-refresh --verbose, DPoP',
      ]),
    )
    expect(proved).toHaveLength(2)
    expect(files.map((file) => file.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/config\.json$/),
        expect.stringMatching(/trace\.log$/),
      ]),
    )
    expect(hits).toEqual([])
  })

  it('finds the recorded secrets the harness prints on purpose (the control)', async () => {
    const { secrets } = await audit.ledger()
    const [refreshToken, otherRefreshToken] = valuesOf(secrets, 'refresh_token')
    const [idToken] = valuesOf(secrets, 'id_token')
    // A run that echoes what it is given: a refresh token, as the name of a profile.
    const echoed = await cli.run('control: status of a profile named after a secret', [
      'status',
      `--profile=${refreshToken}`,
    ])
    await writeFile(
      join(audit.home, 'printed-on-purpose.txt'),
      `trace   body: {"refresh_token":"${otherRefreshToken}"}\n`,
    )
    audit.see({ name: 'a signature printed on purpose', text: `sig=${idToken!.split('.')[2]}` })

    const { hits } = await searchEverything()
    const echoedIt = (echoed.stdout + echoed.stderr).includes(refreshToken!)
    expect(echoedIt, 'the control run printed the secret it was given').toBe(true)
    expect(hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          output: expect.stringMatching(/^control: status of a profile named after a secret: /),
          kind: 'refresh_token',
        }),
        expect.objectContaining({
          output: expect.stringMatching(/printed-on-purpose\.txt$/),
          kind: 'refresh_token',
          length: otherRefreshToken!.length,
        }),
        expect.objectContaining({ output: 'a signature printed on purpose', kind: 'id_token' }),
      ]),
    )
    // Those three, and nothing else.
    expect(hits).toHaveLength(3)
  })
})
