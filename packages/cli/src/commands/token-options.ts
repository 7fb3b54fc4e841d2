import { configError } from '@keyway/core'
import type { CommandContext } from '../context.js'
import type { TokenFormat } from './token-output.js'

/** The options of `keyway token`. */
export interface TokenCommandOptions {
  /** Refresh first when the token has fewer seconds left than this. */
  readonly minTtl?: string
  readonly forceRefresh?: boolean
  readonly header?: boolean
  readonly env?: boolean
  /** Print the ID token instead of the access token. */
  readonly idToken?: boolean
  /** The request a DPoP proof is made for (`--header` with a DPoP-bound token). */
  readonly url?: string
  readonly method?: string
}

/**
 * The format `keyway token` prints in: `--json`, `--header`, `--env` or the token alone.
 *
 * @throws `config_error` when more than one is asked for.
 */
export function chosenFormat(context: CommandContext, options: TokenCommandOptions): TokenFormat {
  const chosen = [
    context.json && ('json' as const),
    options.header === true && ('header' as const),
    options.env === true && ('env' as const),
  ].filter((format) => format !== false)
  if (chosen.length > 1) throw configError('Choose one of --json, --header and --env.')
  const format = chosen[0] ?? 'plain'
  if (options.idToken === true && format !== 'plain' && format !== 'header') {
    throw configError(
      '--id-token prints the ID token alone, or with --header: drop --json or --env.',
    )
  }
  return format
}

/**
 * The request a DPoP proof is made for: `--url` (required) and `--method` (GET by default).
 *
 * @throws `config_error` without `--url`, or with one that is not an absolute URL.
 */
export function dpopRequest(options: TokenCommandOptions): { method: string; url: URL } {
  if (options.url === undefined) {
    throw configError(
      'The token is DPoP-bound: its proof is made for one request. Give --url URL (and --method, GET by default).',
    )
  }
  let url: URL
  try {
    url = new URL(options.url)
  } catch (cause) {
    throw configError('--url must be an absolute URL, such as https://api.example.com/me.', cause)
  }
  const method = (options.method ?? 'GET').toUpperCase()
  if (!/^[A-Z]+$/.test(method)) throw configError('--method must be an HTTP method, such as GET.')
  return { method, url }
}

/**
 * The least lifetime a served token has left by default, in seconds: enough for the request
 * it was fetched for, so it does not expire on the way.
 */
export const DEFAULT_MIN_TTL_SECONDS = 60

/**
 * `--min-ttl` in milliseconds: {@link DEFAULT_MIN_TTL_SECONDS} when not given.
 *
 * @throws `config_error` for anything but a number of seconds, 0 or more.
 */
export function minTtlMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MIN_TTL_SECONDS * 1000
  const seconds = Number(text)
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw configError(
      `--min-ttl takes a number of seconds, 0 or more, not ${JSON.stringify(text)}.`,
    )
  }
  return seconds * 1000
}
