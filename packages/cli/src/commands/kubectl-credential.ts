import { isKeywayError, KeywayErrorCodes } from '@keyway/core'
import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { loginCommand } from '../failure.js'
import type { ServedIdToken } from '../id-token.js'
import { type ExecInfo, execCredential, readExecInfo } from '../kubectl/exec-credential.js'
import { openSession } from '../session.js'
import { getIdToken } from './id-token-tokens.js'
import { minTtlMs } from './token-options.js'

/** The options of `keyway kubectl-credential`. */
export interface KubectlCredentialOptions {
  /** Refresh first when the ID token has fewer seconds left than this. */
  readonly minTtl?: string
}

/** A fresh ID token from the profile's grant, through one session. */
async function idTokenOf(context: CommandContext, minTtl: number): Promise<ServedIdToken> {
  const settings = await context.settings()
  const session = await openSession(context, settings, { fetch: await context.fetch() })
  try {
    return await getIdToken(session.kw, { signal: context.signal, minTtl })
  } finally {
    await session.close()
  }
}

/**
 * Whether a login may happen now: kubectl says so in `KUBERNETES_EXEC_INFO` (`interactive`);
 * a kubectl too old to say hands the plugin its terminal only when there is one. Never with
 * `--no-input` or `KEYWAY_INTERACTIVE=0`.
 */
function mayLogIn(context: CommandContext, info: ExecInfo): boolean {
  return context.interactive && (info.interactive ?? context.io.stdin.isTTY === true)
}

/**
 * `keyway kubectl-credential`: the exec credential plugin for kubectl. Prints an
 * `ExecCredential` whose `status.token` is the profile's ID token (refreshed when it has
 * less than `--min-ttl` left: Kubernetes' OIDC authenticator takes the ID token as the
 * bearer) in the version kubectl asks for. When a login is needed and kubectl lets the
 * plugin talk to the person, it logs in as `keyway login` does, on stderr and the terminal
 * only (stdout is kubectl's); otherwise it exits with 4 and one line on stderr.
 */
export async function runKubectlCredential(
  context: CommandContext,
  options: KubectlCredentialOptions,
): Promise<ExitCode> {
  const info = readExecInfo(context.io.env)
  const minTtl = minTtlMs(options.minTtl)
  let served: ServedIdToken
  try {
    served = await idTokenOf(context, minTtl)
  } catch (error) {
    if (!isKeywayError(error) || error.code !== KeywayErrorCodes.loginRequired) throw error
    if (!mayLogIn(context, info)) {
      // One line: kubectl shows it above its own error.
      const reason = error.message.replace(/\s*Log in again\.$/, '').replace(/\.$/, '')
      context.io.stderr.write(
        `${context.style.red('keyway:')} ${reason}, and kubectl gives no terminal to log in on: run ${loginCommand(context)}\n`,
      )
      return ExitCode.loginRequired
    }
    const { runLogin } = await import('./login.js')
    // The login's report goes to stderr, never to stdout, which kubectl reads.
    const loggedIn = await runLogin({ ...context, json: false }, { timeout: '300' })
    if (loggedIn !== ExitCode.ok) return loggedIn
    served = await idTokenOf(context, 0)
  }
  context.io.stdout.write(execCredential(info, served))
  return ExitCode.ok
}
