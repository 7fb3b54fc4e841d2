import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { environmentVariables } from '@keyway/core'
import {
  type DevProvider,
  type DevProviderOptions,
  ScriptedBrowser,
  type ScriptedConsent,
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

/** A token record as the file store keeps it, as far as the tests read it. */
export interface StoredTokens {
  readonly accessToken: string
  readonly idToken?: string
  /** The DPoP key of a bound grant, a JWK with its private part `d`. */
  readonly dpopKey?: { readonly d?: string }
}

/** The authorization URL line the transports print. */
export const authorizationUrl = /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m

/** The device flow's address that carries the code, as the command prints it. */
export const completeUri = /^(http:\/\/127\.0\.0\.1:\d+\/device\?user_code=\S+)$/m

/** Matches once the paste prompt has asked again `times` times. */
const askedAgain = (times: number) => new RegExp(`(?:Paste it again[\\s\\S]*?){${times}}`)

/** What the person does in a paste login; see `pasteLogin`. */
export interface PasteScript {
  /** What they do at the provider; they allow by default. */
  readonly consent?: Omit<ScriptedConsent, 'followRedirect'>
  /** The lines they paste, given the address the browser was sent to. */
  readonly answers?: (callback: URL) => readonly string[]
}

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
     * with the scripted browser (which does as `script.consent` says), and pastes each of
     * `script.answers(callback)` in turn, by default only the address the browser was sent
     * to; each answer after the first waits for the command to ask again. The input ends
     * after the last.
     */
    async pasteLogin(
      args: readonly string[],
      extra: NodeJS.ProcessEnv = {},
      script: PasteScript = {},
    ) {
      const cli = world.start(args, extra)
      const [, url] = await cli.waitFor(authorizationUrl)
      const { callbackUrl } = await new ScriptedBrowser().authorize(url!, {
        ...script.consent,
        followRedirect: false,
      })
      const answers = script.answers?.(callbackUrl) ?? [callbackUrl.href]
      for (const [asked, answer] of answers.entries()) {
        await cli.waitFor(asked === 0 ? /Paste the address/ : askedAgain(asked))
        cli.type(answer)
      }
      cli.endInput()
      const result = await cli.done
      return { ...result, callbackUrl }
    },
    /** The tokens the file store keeps for `profile` (read directly); undefined when none. */
    async storedTokensOf(profile: string): Promise<StoredTokens | undefined> {
      const file = JSON.parse(await readFile(join(configDir, 'tokens.json'), 'utf8'))
      const records = Object.entries(file.records as Record<string, { tokens: StoredTokens }>)
      // Each key is a JSON array that ends with the profile's name (see storeKeyId).
      return records.find(([key]) => JSON.parse(key).at(-1) === profile)?.[1].tokens
    },
    /**
     * Every token kept in the file store, and the private part of a DPoP key, for checking
     * that none is ever printed.
     */
    async storedTokens(): Promise<string[]> {
      const file = JSON.parse(await readFile(join(configDir, 'tokens.json'), 'utf8'))
      return Object.values(file.records as Record<string, { tokens: Record<string, unknown> }>)
        .flatMap((record) => [
          record.tokens.accessToken,
          record.tokens.refreshToken,
          record.tokens.idToken,
          (record.tokens.dpopKey as { d?: unknown } | undefined)?.d,
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
