import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { environmentVariables } from '@keyway/core'
import {
  type DevProvider,
  requireProgram,
  ScriptedBrowser,
  startDevProvider,
} from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installConsumerProject } from './support/consumer-project.js'
import {
  type TypeCheckMode,
  typeCheckConsumer,
  typeCheckModes,
} from './support/consumer-typecheck.js'
import { InstalledProgram, runInstalled } from './support/installed-program.js'
import { attw, publint } from './support/package-checks.js'
import { type PackedPackage, packPublicPackages } from './support/packed-packages.js'

const npm = requireProgram('npm', 'the test of the packed packages (installed with npm)')

/** The entry that needs its optional peer, vitest, which the consumer does not install. */
const STORE_CONTRACT = '@keyway/testing/store-contract'

/** The authorization URL line the transports print. */
const authorizationUrl = /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m

/** The test's environment, less every variable that would steer Keyway or a browser. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (name.startsWith('KEYWAY_') && name !== 'KEYWAY_REQUIRE_ALL') delete env[name]
  }
  for (const name of [...environmentVariables, 'BROWSER']) delete env[name]
  return { ...env, ...extra }
}

describe.skipIf(npm === undefined)(
  'the packed packages, installed with npm in a new project',
  () => {
    let work = ''
    let project = ''
    let packed: PackedPackage[] = []
    let dev: DevProvider | undefined

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'keyway-tarballs-'))
      project = join(work, 'consumer')
      packed = await packPublicPackages(join(work, 'tarballs'))
      ;[dev] = await Promise.all([
        startDevProvider(),
        installConsumerProject(npm!, project, packed),
      ])
    }, 180_000)

    afterAll(async () => {
      await dev?.close()
      if (work !== '') await rm(work, { recursive: true, force: true })
    })

    const entries = () => packed.flatMap((pkg) => pkg.entries)
    const inProject = (extra: NodeJS.ProcessEnv = {}) => ({ cwd: project, env: cleanEnv(extra) })

    it('packs each public package with README, LICENSE and both entry kinds, and no build info', () => {
      expect(packed.map((pkg) => pkg.name)).toContain('@keyway/core')
      for (const { name, files } of packed) {
        expect({ name, files }).toMatchObject({
          files: expect.arrayContaining([
            'README.md',
            'LICENSE',
            'dist/index.js',
            'dist/index.cjs',
          ]),
        })
        expect(files.filter((file) => file.includes('tsbuildinfo'))).toEqual([])
      }
    })

    it.each([
      ['imports', 'load-entries.mjs'],
      ['requires', 'load-entries.cjs'],
    ])(
      '%s every entry (%s): each loads, the store contract only with its vitest peer',
      async (_, script) => {
        const result = await runInstalled(process.execPath, [script, ...entries()], inProject())
        expect(result.stderr).toBe('')
        const report = JSON.parse(result.stdout) as Record<
          string,
          { names?: number; code?: string; message?: string }
        >
        for (const entry of entries().filter((entry) => entry !== STORE_CONTRACT)) {
          expect({ entry, ...report[entry] }).toEqual({ entry, names: expect.any(Number) })
          expect(report[entry]!.names).toBeGreaterThan(0)
        }
        expect(report[STORE_CONTRACT]).toMatchObject({
          message: expect.stringContaining("'vitest'"),
        })
      },
    )

    it.each(Object.keys(typeCheckModes) as TypeCheckMode[])(
      'type-checks a program using every typed entry under %s',
      async (mode) => {
        expect(await typeCheckConsumer(project, mode)).toEqual({ code: 0, report: '' })
      },
      60_000,
    )

    it('logs in from a CommonJS program: loopback transport, file store, the dev provider', async () => {
      const program = new InstalledProgram(
        process.execPath,
        ['login.cjs'],
        inProject({
          KEYWAY_TEST_ISSUER: dev!.issuer,
          KEYWAY_TEST_CLIENT_ID: dev!.clients.native.clientId,
          KEYWAY_TEST_TOKEN_FILE: join(work, 'login', 'tokens.json'),
        }),
      )
      program.endInput()
      const [, url] = await program.waitFor(authorizationUrl)
      const { landed } = await new ScriptedBrowser().authorize(url!)
      expect(landed?.status).toBe(200)
      const result = await program.done
      expect(result).toMatchObject({ code: 0 })
      expect(JSON.parse(result.stdout)).toEqual({ state: 'authorized', status: 200, sub: 'alice' })
      expect(dev!.counters.grants.authorization_code).toBe(1)
    })

    it('runs the installed keyway command: --version, login --paste through a pipe, token', async () => {
      const keyway = join(project, 'node_modules', '.bin', 'keyway')
      const settings = inProject({ KEYWAY_CONFIG_DIR: join(work, 'cli') })
      const cliPackage = packed.find((pkg) => pkg.name === '@keyway/cli')!
      const version = cliPackage.tarball.match(/-(\d+\.\d+\.\d+[^/]*)\.tgz$/)![1]
      expect(await runInstalled(keyway, ['--version'], settings)).toMatchObject({
        code: 0,
        stdout: `${version}\n`,
      })

      const { issuer, clients } = dev!
      const login = new InstalledProgram(
        keyway,
        [
          'login',
          '--profile',
          'packed',
          '--issuer',
          issuer,
          '--client-id',
          clients.native.clientId,
          '--store',
          'file',
          '--paste',
        ],
        settings,
      )
      const [, url] = await login.waitFor(authorizationUrl)
      const { callbackUrl } = await new ScriptedBrowser().authorize(url!, { followRedirect: false })
      await login.waitFor(/Paste the address/)
      login.type(callbackUrl.href)
      login.endInput()
      expect(await login.done).toMatchObject({ code: 0 })

      const token = await runInstalled(keyway, ['token', '--profile', 'packed'], settings)
      // Only the exit code and stderr are compared: a failure's diff must not print the token.
      expect({ code: token.code, stderr: token.stderr }).toEqual({ code: 0, stderr: '' })
      const userinfo = await fetch(`${issuer}/me`, {
        headers: { authorization: `Bearer ${token.stdout.trim()}` },
      })
      expect(userinfo.status).toBe(200)
    })

    it('passes publint --strict and attw (every resolution but node10) on every tarball', async () => {
      for (const { name, tarball } of packed) {
        const [linted, typed] = await Promise.all([publint(tarball), attw(tarball)])
        expect({ name, ...linted }).toMatchObject({ name, code: 0 })
        expect({ name, ...typed }).toMatchObject({ name, code: 0 })
      }
    }, 120_000)
  },
)
