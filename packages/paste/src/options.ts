import type { Readable, Writable } from 'node:stream'
import { configError } from '@keyway/core'

/** Options of {@link paste}. */
export interface PasteOptions {
  /** Where the pasted text is read from, a TTY or a pipe. Default `process.stdin`. */
  readonly input?: Readable
  /** Where the address, the hint and the prompts are written. Default `process.stderr`. */
  readonly output?: Writable
  /**
   * The redirect URI registered with the provider, used when paste runs alone. Default
   * `http://127.0.0.1/callback`. In a race, paste adopts the URI of the transport that picks
   * its own (loopback). Never an out-of-band URI such as `urn:ietf:wg:oauth:2.0:oob`.
   */
  readonly redirectUri?: string | URL
  /** How many unusable answers the person may paste before the login fails. Default 5. */
  readonly attempts?: number
  /**
   * Print the authorization URL. By default paste prints it when it runs alone, and not when
   * it adopted the redirect URI of another transport in a race: that transport (loopback)
   * prints it, and paste adds only how to paste the address back.
   */
  readonly showUrl?: boolean
  /**
   * Print how the login ended (`Logged in.` or `The login failed: …`) as the last line.
   * Default true; an app that tells the outcome its own way (a command that prints who logged
   * in, or reports errors itself) turns it off, so nothing is said twice.
   */
  readonly announceOutcome?: boolean
}

/** The options of {@link paste} checked, with their defaults; streams are picked on use. */
export interface PasteSettings {
  readonly input: () => Readable
  readonly output: () => Writable
  readonly redirectUri: string
  readonly attempts: number
  readonly showUrl: boolean | undefined
  readonly announceOutcome: boolean
}

/** The registered loopback URI most providers accept for native apps (RFC 8252 §7.3). */
export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1/callback'

/** The longest line read as an answer, in characters: far beyond any redirect URL. */
export const MAX_LINE_LENGTH = 16_384

/** Returns the URI as given: providers compare redirect URIs as exact strings. */
function checkRedirectUri(value: string | URL): string {
  const given = String(value)
  let url: URL
  try {
    url = new URL(given)
  } catch (cause) {
    throw configError('paste(): redirectUri is not a valid URL.', cause)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(
      'paste(): redirectUri must be an http(s) URL registered with the provider; ' +
        'out-of-band URIs are deprecated and refused.',
    )
  }
  if (url.search !== '' || url.hash !== '') {
    throw configError('paste(): redirectUri must have no query and no fragment.')
  }
  return given
}

/** Checks the options of {@link paste}; every problem is a `config_error`. */
export function resolvePasteOptions(options: PasteOptions): PasteSettings {
  const attempts = options.attempts ?? 5
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw configError('paste(): attempts must be a whole number, 1 or more.')
  }
  const { input, output, showUrl, announceOutcome = true } = options
  if (showUrl !== undefined && typeof showUrl !== 'boolean') {
    throw configError('paste(): showUrl must be true or false.')
  }
  if (typeof announceOutcome !== 'boolean') {
    throw configError('paste(): announceOutcome must be true or false.')
  }
  return {
    input: () => input ?? process.stdin,
    output: () => output ?? process.stderr,
    redirectUri: checkRedirectUri(options.redirectUri ?? DEFAULT_REDIRECT_URI),
    attempts,
    showUrl,
    announceOutcome,
  }
}
