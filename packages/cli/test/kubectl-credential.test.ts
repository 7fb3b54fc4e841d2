import { join } from 'node:path'
import { makeSelfSignedCertificate, requireProgram } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idTokenExpiry } from '../src/id-token.js'
import { BIN } from './support/cli-process.js'
import { useCliWorld } from './support/cli-world.js'
import { type KubeApi, startKubeApi } from './support/kube-api.js'
import { EXEC_V1BETA1, execVersionsOf, writeKubeconfig } from './support/kubeconfig.js'
import { modulesLoadedBy, notForAStoredToken } from './support/loaded-modules.js'
import { runProgram } from './support/run-program.js'
import { expectNoSecret } from './support/secrets.js'

const kubectl = requireProgram('kubectl', 'the kubectl tests', '/usr/bin/kubectl')
const openssl = requireProgram('openssl', 'the kubectl tests (the API server certificate)')

// ID tokens that live 8 s, served while more than 2 s are left: the refresh comes soon.
const world = useCliWorld({ idTokenTtl: 8_000 })
const MIN_TTL = ['--min-ttl', '2']
const refreshes = () => world.dev.counters.grants.refresh_token ?? 0

/** The ID token stored for `profile`. */
const storedIdTokenOf = async (profile: string) => (await world.storedTokensOf(profile))?.idToken

/** The stored ID token of the kube profile. */
const storedIdToken = async () => (await storedIdTokenOf('kube'))!

/** Waits (not a timed assertion) until the stored ID token has expired, by its own `exp`. */
async function untilStoredIdTokenExpired(): Promise<void> {
  const expiresAt = idTokenExpiry(await storedIdToken())!
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 1000)))
}

describe.skipIf(!kubectl || !openssl)('kubectl with keyway kubectl-credential', () => {
  let api: KubeApi | undefined
  let versions: readonly string[] = []
  const printed: string[] = []
  const kubeconfig = () => join(world.configDir, 'kubeconfig')

  /** `kubectl get --raw /api` as `user`; keeps what it printed, to search for secrets. */
  const getApi = async (user: string) => {
    const args = ['--kubeconfig', kubeconfig(), '--context', user, 'get', '--raw', '/api']
    const env = world.env({ HOME: join(world.configDir, 'home') })
    const result = await runProgram(kubectl!, args, env)
    printed.push(result.stdout, result.stderr)
    return result
  }

  beforeAll(async () => {
    const login = await world.pasteLogin([...world.loginArgs('kube'), '--paste'])
    expect(login.code).toBe(0)
    const tls = await makeSelfSignedCertificate(openssl!, world.configDir)
    api = await startKubeApi(world.dev, tls)
    versions = await execVersionsOf(kubectl!)
    const users = versions.map((apiVersion) => ({
      name: apiVersion.split('/')[1]!,
      apiVersion,
      command: process.execPath,
      args: [BIN, 'kubectl-credential', '--profile', 'kube', ...MIN_TTL],
    }))
    await writeKubeconfig(kubeconfig(), api.server, tls.cert, users)
  })
  afterAll(async () => {
    await api?.close()
  })

  it('kubectl get --raw /api succeeds with the profile ID token', async () => {
    const result = await getApi(versions[0]!.split('/')[1]!)

    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'APIVersions' })
    expect(api!.answered.accepted).toBeGreaterThan(0)
  })

  it('answers a kubectl that asks for v1beta1 in v1beta1', async () => {
    const result = await getApi(EXEC_V1BETA1.split('/')[1]!)

    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'APIVersions' })
  })

  it('succeeds again after the ID token expired, with one refresh', async () => {
    await untilStoredIdTokenExpired()
    const rejectedBefore = api!.answered.rejected
    const result = await getApi(versions[0]!.split('/')[1]!)

    expect(result.code, result.stderr).toBe(0)
    expect(refreshes()).toBe(1)
    expect(api!.answered.rejected).toBe(rejectedBefore)
  })

  it('serves a fresh ID token without commander, xstate or the protocol', async () => {
    const info = JSON.stringify({ apiVersion: EXEC_V1BETA1, kind: 'ExecCredential', spec: {} })
    const args = ['kubectl-credential', '--profile', 'kube', '--min-ttl', '0']
    const { result, loaded } = await modulesLoadedBy(world, args, { KUBERNETES_EXEC_INFO: info })

    expect(result.code).toBe(0)
    const credential = JSON.parse(result.stdout)
    expect(credential).toMatchObject({
      apiVersion: EXEC_V1BETA1,
      kind: 'ExecCredential',
      status: { expirationTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:]+Z$/) },
    })
    const same = credential.status.token === (await storedIdToken())
    expect(same, 'status.token is the stored ID token').toBe(true)
    expect(loaded).toContain('src/stored-token/serve-stored-token.ts')
    expect(loaded.filter((url) => notForAStoredToken.test(url))).toEqual([])
    expect(refreshes()).toBe(0)
  })

  it('never prints a token but in the ExecCredential kubectl reads', async () => {
    expectNoSecret(printed.join('\n'), await world.storedTokens())
  })

  it('fails clearly after keyway logout, without trying to log in', async () => {
    const logout = await world.run(['logout', '--profile', 'kube'])
    expect(logout.code).toBe(0)
    const result = await getApi(versions[0]!.split('/')[1]!)

    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(
      /^keyway: .+, and kubectl gives no terminal to log in on: run keyway login --profile kube$/m,
    )
    expect(world.dev.counters.requests.authorization).toBe(0)
  })
})

describe('keyway kubectl-credential when kubectl forbids a login', () => {
  it('exits with 4 and one line on stderr, nothing on stdout', async () => {
    const info = { apiVersion: 'client.authentication.k8s.io/v1', spec: { interactive: false } }
    const args = ['kubectl-credential', '--profile', 'nobody']
    const result = await world.run(args, { KUBERNETES_EXEC_INFO: JSON.stringify(info) })

    expect(result.code).toBe(4)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(result.stderr).toContain('keyway login --profile nobody')
  })
})

describe('keyway kubectl-credential when kubectl lets it log in', () => {
  it('logs in on stderr and the terminal, and prints only the ExecCredential on stdout', async () => {
    const { issuer, clients } = world.dev
    const settings = ['--issuer', issuer, '--client-id', clients.native.clientId, '--store', 'file']
    const args = ['kubectl-credential', '--profile', 'first', ...settings]
    const info = { apiVersion: 'client.authentication.k8s.io/v1', spec: { interactive: true } }
    const login = await world.pasteLogin(args, { KUBERNETES_EXEC_INFO: JSON.stringify(info) })

    expect(login.code, login.stderr).toBe(0)
    expect(login.stderr).toContain('Logged in as')
    const credential = JSON.parse(login.stdout)
    expect(credential).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1' })
    const same = credential.status.token === (await storedIdTokenOf('first'))
    expect(same, 'status.token is the ID token of the login').toBe(true)
    expectNoSecret(login.stderr, await world.storedTokens())
  })
})
