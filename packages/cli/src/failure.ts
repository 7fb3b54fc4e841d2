import { isKeywayError, KeywayErrorCodes } from '@keyway/core'
import { dpopOption, flagOf, settingOptions } from './config/setting-options.js'
import { isNoProfileError } from './config/settings.js'
import type { CommandContext } from './context.js'
import { type ExitCode, exitCodeFor } from './exit-codes.js'
import { causePhrase } from './failure-cause.js'
import { hintOf } from './hint.js'
import { shellWord } from './ui/shell.js'

/**
 * The exact command that logs this profile in again: `keyway login`, the profile when it was
 * given as a flag, and every setting given as a flag to this command (variables still apply
 * to the next command). A client secret is never echoed: a placeholder stands for it. For a
 * profile that is not saved yet, `placeholders` adds the provider and client to fill in.
 */
export function loginCommand(context: CommandContext, placeholders = false): string {
  const words = ['keyway', 'login']
  if (context.profile.source.kind === 'flag')
    words.push('--profile', shellWord(context.profile.value))
  for (const option of settingOptions) {
    const given = context.given[option.key]
    if (given?.source.kind !== 'flag') continue
    words.push(flagOf(option), option.secret ? '<secret>' : shellWord(given.value))
  }
  const dpop = context.given.dpop
  if (dpop?.source.kind === 'flag') words.push(dpop.value ? dpopOption.flag : dpopOption.negation)
  if (placeholders) words.push('--issuer', '<url>', '--client-id', '<id>')
  return words.join(' ')
}

/** The error's message, with what went wrong underneath (`connection refused`) when known. */
function messageOf(error: unknown): string {
  if (!isKeywayError(error)) {
    return `Unexpected failure: ${error instanceof Error ? error.message : String(error)}`
  }
  const phrase = causePhrase(error)
  if (phrase === undefined || error.message.includes(phrase)) return error.message
  return `${error.message.replace(/\.$/, '')}: ${phrase}.`
}

/** The messages of the causes behind `error`, for `--verbose`. */
function causes(error: unknown): string[] {
  const found: string[] = []
  let cause = error instanceof Error ? error.cause : undefined
  while (cause instanceof Error && found.length < 5) {
    found.push(cause.message)
    cause = cause.cause
  }
  return found
}

/**
 * Tells the person what failed, once: one line on stderr with the cause underneath when known
 * (`connection refused`), and at most one more that says what to do (the error's hint, or the
 * command that logs in when a login is needed). With `--json` the same goes to stdout as one
 * `{"error": {…}}` object. `--verbose` adds the causes. Returns the exit code.
 */
export function reportFailure(context: CommandContext, error: unknown): ExitCode {
  const { io, style } = context
  const exitCode = exitCodeFor(error)
  const code = isKeywayError(error) ? error.code : 'unexpected'
  const message = messageOf(error)
  const hint = hintOf(error)
  const login =
    hint === undefined && code === KeywayErrorCodes.loginRequired
      ? loginCommand(context, isNoProfileError(error))
      : undefined
  io.stderr.write(`${style.red('keyway:')} ${message}\n`)
  if (context.verbose) for (const cause of causes(error)) io.stderr.write(`  because: ${cause}\n`)
  if (hint !== undefined) io.stderr.write(`${hint}\n`)
  if (login !== undefined) io.stderr.write(`Run: ${style.bold(login)}\n`)
  if (context.json) {
    const extra = { ...(hint ? { hint } : {}), ...(login ? { loginCommand: login } : {}) }
    const body = { error: { code, message, exitCode, ...extra } }
    io.stdout.write(`${JSON.stringify(body)}\n`)
  }
  return exitCode
}
