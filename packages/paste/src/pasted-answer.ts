import {
  type AuthorizationRequest,
  type Callback,
  type KeywayError,
  type KeywayErrorCode,
  KeywayErrorCodes,
} from '@keyway/core'
import { type CallbackParams, checkCallback, parseCallbackParams } from '@keyway/core/codecs'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { problems } from './messages.js'

/**
 * What a pasted line means for the login:
 * - `callback`: a usable redirect URL or code, for core to exchange;
 * - `refused`: the provider's error (`access_denied`, …), which ends the login;
 * - `unusable`: something the person should paste again, and why;
 * - `empty`: nothing was pasted.
 */
export type PastedAnswer =
  | { readonly kind: 'callback'; readonly callback: Callback }
  | { readonly kind: 'refused'; readonly error: KeywayError }
  | { readonly kind: 'unusable'; readonly code: KeywayErrorCode; readonly problem: string }
  | { readonly kind: 'empty' }

const unusable = (
  problem: string,
  code: KeywayErrorCode = KeywayErrorCodes.invalidResponse,
): PastedAnswer => ({ kind: 'unusable', code, problem })

/** Keys that start an authorization response's query, for a query pasted without its URL. */
const bareQuery = /^\??(code|state|error|iss)=/
const hasScheme = /^[a-z][a-z\d+.-]*:\/\//i
/** RFC 6749 allows any visible ASCII in a code; these mark a piece of a URL instead. */
const notInCode = /[?&#\s]/
const visibleAscii = /^[\x21-\x7e]+$/
/**
 * Codes must be unguessable (RFC 6749 §10.10), so real ones are long (GitHub's, among the
 * shortest, have 20 characters); a shorter word is a typo or an answer to another question.
 */
const MIN_CODE_LENGTH = 10

const closingOf: Readonly<Record<string, string>> = { '"': '"', "'": "'", '<': '>' }

/** Removes the wrapping a copy may add: outer whitespace, quotes, angle brackets. */
function unwrap(line: string): string {
  const text = line.trim()
  const wrapped = /^(["'<])(.*)(["'>])$/.exec(text)
  return wrapped && closingOf[wrapped[1]!] === wrapped[3] ? wrapped[2]!.trim() : text
}

/** Where the query starts in `text`, when `text` is an address or a query at all. */
function queryStart(text: string): { readonly base: string; readonly from: number } | undefined {
  if (bareQuery.test(text)) return { base: '', from: text.startsWith('?') ? 1 : 0 }
  const mark = text.indexOf('?')
  const base = text.slice(0, mark)
  // An address, with or without its scheme (`127.0.0.1/callback?…`), not a lone `?`.
  if (mark < 0 || !(hasScheme.test(base) || base.includes('/'))) return undefined
  return { base, from: mark + 1 }
}

/** The part of `text` before its query, and the query itself (HTML escapes undone). */
function splitQuery(text: string): { readonly base: string; readonly query: string } | undefined {
  const start = queryStart(text)
  if (start === undefined) return undefined
  const query = text.slice(start.from).replace(/#.*$/, '').replace(/&amp;/gi, '&')
  return { base: start.base, query }
}

/** True when `base` is the authorization endpoint: the person pasted the address to open. */
function isAuthorizationUrl(base: string, request: AuthorizationRequest): boolean {
  const endpoint = `${request.url.origin}${request.url.pathname}`
  return base === endpoint || base === endpoint.replace(/^https?:\/\//, '')
}

/** True when `got` is the start of `expected` but not all of it: the paste was cut short. */
function isCutShort(got: string | undefined, expected: string): boolean {
  return got !== undefined && got !== expected && expected.startsWith(got)
}

/**
 * What the person should be told about a pasted response that cannot be used, checked in the
 * order that keeps a login safe: `state` first (a response with another state is not ours,
 * even when it carries an error), then `iss`, then the code. A response carrying the
 * provider's `error` is left to {@link checkCallback}: it is an answer, not a bad paste.
 */
function problemWith(
  query: string,
  params: CallbackParams,
  request: AuthorizationRequest,
): PastedAnswer | undefined {
  if (/%[\da-f]?$/i.test(query) || isCutShort(params.state, request.state)) {
    return unusable(problems.cutOff)
  }
  if (params.state !== request.state) {
    const problem = params.state === undefined ? problems.noState : problems.otherAttempt
    return unusable(problem, KeywayErrorCodes.stateMismatch)
  }
  if (params.error !== undefined) return undefined
  if (params.code === '' || isCutShort(params.iss, request.issuer)) return unusable(problems.cutOff)
  if (params.iss !== undefined && params.iss !== request.issuer) {
    return unusable(problems.otherProvider)
  }
  if (params.code === undefined) return unusable(problems.noCode)
  if (params.iss === undefined && request.issRequired) return unusable(problems.noIss)
  return undefined
}

function fromQuery(query: string, request: AuthorizationRequest, redirectUri: string) {
  const url = new URL(redirectUri)
  url.search = query
  return pipe(
    parseCallbackParams(url.searchParams),
    E.mapLeft((error): PastedAnswer => unusable(error.message)),
    E.flatMap((params) => {
      const problem = problemWith(query, params, request)
      return problem === undefined ? E.right(params) : E.left(problem)
    }),
    E.flatMap((params) =>
      pipe(
        checkCallback(params, request),
        E.mapLeft(
          (error): PastedAnswer =>
            error.code === KeywayErrorCodes.accessDenied ||
            error.code === KeywayErrorCodes.providerError
              ? { kind: 'refused', error }
              : unusable(error.message, error.code),
        ),
      ),
    ),
    E.match(
      (answer) => answer,
      (): PastedAnswer => ({ kind: 'callback', callback: { kind: 'redirect', url } }),
    ),
  )
}

function fromCode(text: string): PastedAnswer {
  if (notInCode.test(text) || !visibleAscii.test(text)) return unusable(problems.notACode)
  let code = text
  try {
    code = decodeURIComponent(text)
  } catch {
    // not percent-encoded after all: keep it as it is
  }
  if (code.length < MIN_CODE_LENGTH) return unusable(problems.tooShort)
  return { kind: 'callback', callback: { kind: 'code', code } }
}

/**
 * Reads one pasted line: the whole redirect URL the browser ended on (its `state` checked,
 * its `error` recognised, its `iss` checked when the provider promises one), its query alone,
 * or the bare code. Outer whitespace, a CR, wrapping quotes and `&amp;` escapes are forgiven.
 * The pasted text never appears in what it returns: it holds a code.
 *
 * @param redirectUri - the redirect URI of this attempt; a usable URL is rebuilt on it.
 */
export function readPastedAnswer(
  line: string,
  request: AuthorizationRequest,
  redirectUri: string,
): PastedAnswer {
  const text = unwrap(line)
  if (text === '') return { kind: 'empty' }
  const parts = splitQuery(text)
  if (parts !== undefined) {
    if (isAuthorizationUrl(parts.base, request)) return unusable(problems.authorizationUrl)
    return fromQuery(parts.query, request, redirectUri)
  }
  if (hasScheme.test(text)) return unusable(problems.noCode)
  return fromCode(text)
}
