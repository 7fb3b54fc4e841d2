import type { TokenCommandOptions } from '../commands/token-options.js'
import type { CommonOptions } from '../context.js'
import { ownValue, readCommandLine } from './command-line.js'

/** A `keyway token` command line, read without commander. */
export interface TokenCommandLine {
  readonly common: CommonOptions
  readonly token: TokenCommandOptions
}

/** The options of `keyway token` itself, which commander takes only after `token`. */
const tokenOptions = {
  name: 'token',
  switches: new Map([
    ['--header', 'header'],
    ['--env', 'env'],
    ['--force-refresh', 'forceRefresh'],
    ['--id-token', 'idToken'],
  ]),
  values: new Map([['--min-ttl', 'minTtl']]),
}

/**
 * Reads `argv` when it is a `keyway token` command line made only of options this reader
 * knows as commander reads them (see `readCommandLine`): the common ones, and after `token`
 * its own `--min-ttl`, `--header`, `--env`, `--force-refresh` and `--id-token`. Anything else
 * gives undefined: the full command line is then the one to read it.
 */
export function readTokenCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TokenCommandLine | undefined {
  const line = readCommandLine(argv, env, tokenOptions)
  if (line === undefined) return undefined
  const minTtl = ownValue(line, 'minTtl')
  return {
    common: line.common,
    token: {
      ...(minTtl === undefined ? {} : { minTtl }),
      forceRefresh: line.own.has('forceRefresh'),
      header: line.own.has('header'),
      env: line.own.has('env'),
      ...(line.own.has('idToken') ? { idToken: true } : {}),
    },
  }
}
