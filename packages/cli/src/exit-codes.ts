import { isKeywayError, KeywayErrorCodes } from '@keyway/core'

/**
 * The exit codes of the `keyway` command, which scripts may rely on:
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | done |
 * | 1 | an error: a wrong command line or setting, the provider, the network, the store |
 * | 2 | cancelled: Ctrl-C, or the login timed out |
 * | 4 | login required: no usable grant, run the `keyway login` command printed on stderr; or a login that cannot happen here (`--no-input` with no way for an answer to arrive) |
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  cancelled: 2,
  loginRequired: 4,
} as const

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * The exit code an error stands for: {@link ExitCode.cancelled} for `aborted` and `timeout`,
 * {@link ExitCode.loginRequired} for `login_required`, {@link ExitCode.error} for anything else.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (!isKeywayError(error)) return ExitCode.error
  switch (error.code) {
    case KeywayErrorCodes.aborted:
    case KeywayErrorCodes.timeout:
      return ExitCode.cancelled
    case KeywayErrorCodes.loginRequired:
      return ExitCode.loginRequired
    default:
      return ExitCode.error
  }
}
