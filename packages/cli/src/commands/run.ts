import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { configError } from '@keyway/core'
import type { CommandContext } from '../context.js'
import type { ExitCode } from '../exit-codes.js'
import { openSession } from '../session.js'
import { minTtlMs } from './token-options.js'

/** The options of `keyway run`. */
export interface RunCommandOptions {
  /** Refresh first when the token has fewer seconds left than this. */
  readonly minTtl?: string
  /** Another variable to hold the access token, besides `KEYWAY_ACCESS_TOKEN`. */
  readonly envName?: string
}

/** The signals `keyway run` passes on to the command it runs. */
const forwarded: readonly NodeJS.Signals[] = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
]

/** A variable name a POSIX shell would take. */
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A fresh access token for the command, read before it starts. */
async function accessToken(context: CommandContext, minTtl: number): Promise<string> {
  const settings = await context.settings()
  const session = await openSession(context, settings, { fetch: await context.fetch() })
  try {
    return await session.kw.getAccessToken({ signal: context.signal, minTtl })
  } finally {
    await session.close()
  }
}

/**
 * Runs `command` with `args`, its streams the terminal's, and `env` as its environment;
 * passes on every signal in {@link forwarded}. Resolves with its exit code, or 128 plus the
 * signal's number when a signal ended it, as a shell reports it.
 */
function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env })
    const pass = (signal: NodeJS.Signals) => child.kill(signal)
    for (const signal of forwarded) process.on(signal, pass)
    const stop = () => {
      for (const signal of forwarded) process.off(signal, pass)
    }
    child.once('error', (error) => {
      stop()
      reject(configError(`Cannot run ${command}.`, error))
    })
    child.once('exit', (code, signal) => {
      stop()
      resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]))
    })
  })
}

/**
 * `keyway run -- command args…`: runs the command with a fresh access token in its
 * environment, as `KEYWAY_ACCESS_TOKEN` (and as `--env-name NAME` too), refreshed first when
 * it has less than `--min-ttl` left; never a login (exit 4 instead). Its exit code is
 * keyway's, and the signals keyway gets are passed on to it. The token is read once, before
 * the command starts: a command that outlives it does not see a refreshed one.
 *
 * @returns the command's own exit code (any number), which keyway exits with.
 */
export async function runRun(
  context: CommandContext,
  commandLine: readonly string[],
  options: RunCommandOptions,
): Promise<ExitCode> {
  const [command, ...args] = commandLine
  if (command === undefined) throw configError('Name the command to run: keyway run -- COMMAND…')
  const { envName } = options
  if (envName !== undefined && !variableName.test(envName)) {
    throw configError(`--env-name takes a variable name, not ${JSON.stringify(envName)}.`)
  }
  const token = await accessToken(context, minTtlMs(options.minTtl))
  const env = {
    ...context.io.env,
    KEYWAY_ACCESS_TOKEN: token,
    ...(envName === undefined ? {} : { [envName]: token }),
  }
  // The command's own exit code, passed through as keyway's.
  return (await runChild(command, args, env)) as ExitCode
}
