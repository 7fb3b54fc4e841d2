import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { ScriptedBrowser, type ScriptedConsent } from '@keyway/testing'
import { afterAll, beforeAll } from 'vitest'
import type { CliProcess, CliResult } from './cli-process.js'
import type { PasteScript, useCliWorld } from './cli-world.js'
import {
  LEDGER_VARIABLE,
  readSecretLedger,
  recorderNodeOptions,
  type SecretLedger,
} from './secret-ledger.js'
import type { AuditedOutput, SearchedSecret } from './secret-search.js'

type CliWorld = ReturnType<typeof useCliWorld>

/** One audited run of the command, by the label the test gave it. */
export interface AuditedRun {
  readonly label: string
  readonly result: CliResult
  /** What the run's stdout carries on purpose, when anything. */
  readonly serves: ServedOnPurpose | undefined
}

/** What a run prints on stdout on purpose: the one token it serves, and a DPoP proof. */
export interface ServedOnPurpose {
  /** The ledger's kind of the token: `access_token`, or `id_token` for kubectl and `--id-token`. */
  readonly token: 'access_token' | 'id_token'
  /** True for `token --header --url`: the proof for that request, of a DPoP-bound grant. */
  readonly proof: boolean
}

/**
 * What the command line `args` prints on stdout on purpose: `keyway token` an access token
 * (`--id-token` an ID token; `--header --url` with a DPoP proof for that request),
 * `kubectl-credential` an ExecCredential that carries the ID token, `git-credential get` the
 * access token as the password. Every other command, and every other output, carries none.
 */
export function servedOnPurpose(args: readonly string[]): ServedOnPurpose | undefined {
  const [command] = args
  if (command === 'kubectl-credential') return { token: 'id_token', proof: false }
  if (command === 'git-credential' && args.includes('get')) {
    return { token: 'access_token', proof: false }
  }
  if (command !== 'token') return undefined
  if (args.includes('--id-token')) return { token: 'id_token', proof: false }
  return { token: 'access_token', proof: args.includes('--url') }
}

/** Where the codes the test knows come from. */
const sentBack = 'the address the scripted browser was sent back to'

/** The token store itself: the one file allowed to hold tokens. */
const TOKEN_STORE = 'tokens.json'

/** Every file under `folder` (recursively) but `except`, as outputs named by their path. */
async function filesUnder(folder: string, except: string): Promise<AuditedOutput[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => path !== except)
  return Promise.all(
    files.map(async (path) => ({
      name: `file ${relative(tmpdir(), path)}`,
      text: await readFile(path, 'utf8'),
    })),
  )
}

/**
 * Runs the command with the secret recorder loaded (`node --import`) and a private home and
 * temp folder, and keeps what every run printed, so that a test can search it all, and every
 * file the runs wrote, for each secret that went over the wire.
 */
export function useSecretAudit() {
  let dir = ''
  const runs: Promise<AuditedRun>[] = []
  const known: SearchedSecret[] = []
  const seen: AuditedOutput[] = []
  const worlds = new Set<CliWorld>()
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyway-audit-'))
    await mkdir(join(dir, 'scratch', 'home'), { recursive: true })
    await mkdir(join(dir, 'scratch', 'tmp'), { recursive: true })
  })
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  /** The variables of an audited run: the recorder, a private home and temp folder. */
  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    NODE_OPTIONS: recorderNodeOptions(process.env.NODE_OPTIONS),
    [LEDGER_VARIABLE]: join(dir, 'ledger.jsonl'),
    HOME: join(dir, 'scratch', 'home'),
    TMPDIR: join(dir, 'scratch', 'tmp'),
    ...extra,
  })

  /** The code the scripted browser was sent back with: a secret the test knows. */
  const knowCode = (callbackUrl: URL) => {
    const code = callbackUrl.searchParams.get('code')
    if (code !== null) known.push({ kind: 'authorization_code', value: code, via: sentBack })
  }

  /**
   * The scripted person at the provider, following the redirect to a loopback server: the
   * page that server answers with is searched too.
   */
  const browse = async (url: string, consent: ScriptedConsent = {}) => {
    const result = await new ScriptedBrowser().authorize(url, consent)
    knowCode(result.callbackUrl)
    seen.push({
      name: `the page ${result.callbackUrl.origin} answered`,
      text: JSON.stringify(result.landed),
    })
    return result
  }

  const keep = (label: string, cli: CliProcess, serves?: ServedOnPurpose): CliProcess => {
    runs.push(cli.done.then((result) => ({ label, result, serves })))
    return cli
  }

  return {
    /** The private home folder of the runs: a file there counts as one a run wrote. */
    get home(): string {
      return join(dir, 'scratch', 'home')
    },
    /** The command on `world`'s provider and config folder, every run kept under a label. */
    on(world: CliWorld) {
      worlds.add(world)
      const start = (label: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
        keep(label, world.start(args, env(extra)), servedOnPurpose(args))
      return {
        start,
        /** Runs `keyway args…` with no input; resolves once it has exited. */
        run(label: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}) {
          const cli = start(label, args, extra)
          cli.endInput()
          return cli.done
        },
        /** A paste login (see the world's `pasteLogin`), kept once it has ended. */
        async pasteLogin(
          label: string,
          args: readonly string[],
          options: PasteScript & { readonly extra?: NodeJS.ProcessEnv } = {},
        ) {
          const login = await world.pasteLogin(args, env(options.extra ?? {}), options)
          knowCode(login.callbackUrl)
          runs.push(Promise.resolve({ label, result: login, serves: undefined }))
          return login
        },
      }
    },
    browse,
    /**
     * The codes the scripted browser was sent back with, and what `know` was told, searched
     * for with the recorded.
     */
    known(): readonly SearchedSecret[] {
      return known
    },
    /** A secret no request carries (a DPoP key's private part), searched for too. */
    know(secret: SearchedSecret): void {
      known.push(secret)
    },
    /** Something else to search (the pages loopback servers answered `browse` with). */
    see(output: AuditedOutput): void {
      seen.push(output)
    },
    /** The other things to search. */
    seen(): readonly AuditedOutput[] {
      return seen
    },
    /** What the recorder wrote so far. */
    ledger(): Promise<SecretLedger> {
      return readSecretLedger(join(dir, 'ledger.jsonl'))
    },
    /** Every run so far, once each has exited. */
    runs(): Promise<AuditedRun[]> {
      return Promise.all(runs)
    },
    /** Every file the runs wrote, in the config folders and the private home and temp folder. */
    async writtenFiles(): Promise<AuditedOutput[]> {
      const folders = [...[...worlds].map((world) => world.configDir), join(dir, 'scratch')]
      const files = await Promise.all(
        folders.map((folder) => filesUnder(folder, join(folder, TOKEN_STORE))),
      )
      return files.flat()
    },
  }
}
