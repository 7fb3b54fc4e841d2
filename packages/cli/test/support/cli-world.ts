import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { environmentVariables } from '@keyway/core'
import {
  type DevProvider,
  type DevProviderOptions,
  ScriptedBrowser,
  startDevProvider,
} from '@keyway/testing'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { CliProcess, type CliResult } from './cli-process.js'

/** The variables of the test run that must not reach the command: it gets its own. */
const inherited = (): NodeJS.ProcessEnv => {
  const env = { ...process.env }
  for (const name of Object.keys(env)) {
    if (name.startsWith('KEYWAY_') && name !== 'KEYWAY_REQUIRE_ALL') delete env[name]
  }
  // No browser to open, for a reason each test chooses: the command prints addresses instead.
  for (const name of [...environmentVariables, 'BROWSER']) delete env[name]
  return env
}

/** The authorization URL line the transports print. */
export const authorizationUrl = /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m

/** The device flow's address that carries the code, as the command prints it. */
export const completeUri = /^(http:\/\/127\.0\.0\.1:\d+\/device\?user_code=\S+)$/m

/**
 * A dev provider and a private config folder for a test file: the command runs as a child
 * process with `KEYWAY_CONFIG_DIR` pointing at the folder, so no test touches the real home.
 */
export function useCliWorld(options: DevProviderOptions = {}) {
  let dev: DevProvider | undefined
  let configDir = ''
  beforeAll(async () => {
    dev = await startDevProvider(options)
    configDir = await mkdtemp(join(tmpdir(), 'keyway-cli-'))
  })
  afterAll(async () => {
    await dev?.close()
    if (configDir !== '') await rm(configDir, { recursive: true, force: true })
  })
  beforeEach(() => {
    dev?.counters.reset()
  })
  const world = {
    get dev(): DevProvider {
      if (dev === undefined) throw new Error('The dev provider starts in beforeAll.')
      return dev
    },
    get configDir(): string {
      return configDir
    },
    /** The environment of a run: the test's own, less KEYWAY_* and displays, plus `extra`. */
    env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
      return { ...inherited(), KEYWAY_CONFIG_DIR: configDir, ...extra }
    },
    /** Starts `keyway args…`, its stdin open; in a pseudo-terminal made by `terminal` if given. */
    start(args: readonly string[], extra: NodeJS.ProcessEnv = {}, terminal?: string): CliProcess {
      return new CliProcess(args, world.env(extra), terminal)
    },
    /** Runs `keyway args…` with no input and resolves once it has exited. */
    run(args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
      const cli = world.start(args, extra)
      cli.endInput()
      return cli.done
    },
    /** The settings of a first login at the dev provider's public client, file store. */
    loginArgs(profile: string): string[] {
      const { issuer, clients } = world.dev
      const client = ['--client-id', clients.native.clientId]
      return ['login', '--profile', profile, '--issuer', issuer, ...client, '--store', 'file']
    },
    /**
     * Logs in by paste as a person would: reads the address the command prints, signs in
     * with the scripted browser, and pastes the address the browser was sent to.
     */
    async pasteLogin(args: readonly string[], extra: NodeJS.ProcessEnv = {}) {
      const cli = world.start(args, extra)
      const [, url] = await cli.waitFor(authorizationUrl)
      const { callbackUrl } = await new ScriptedBrowser().authorize(url!, { followRedirect: false })
      await cli.waitFor(/Paste the address/)
      cli.type(callbackUrl.href)
      const result = await cli.done
      return { ...result, callbackUrl }
    },
    /** Every token kept in the file store, for checking that none is ever printed. */
    async storedTokens(): Promise<string[]> {
      const file = JSON.parse(await readFile(join(configDir, 'tokens.json'), 'utf8'))
      return Object.values(file.records as Record<string, { tokens: Record<string, unknown> }>)
        .flatMap((record) => [
          record.tokens.accessToken,
          record.tokens.refreshToken,
          record.tokens.idToken,
        ])
        .filter((value): value is string => typeof value === 'string')
    },
  }
  return world
}

/** Asks the dev provider's userinfo endpoint who `token` belongs to; the HTTP status and body. */
export async function userinfo(dev: DevProvider, token: string) {
  const response = await fetch(`${dev.issuer}/me`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
