import { ProtocolErrorCause } from './error-cause.js'

/**
 * Why a request to the provider ended without a whole answer:
 * - `unresolved`: the host name does not resolve (`ENOTFOUND`, `EAI_AGAIN`); trying again at
 *   once will not help;
 * - `unreachable`: no answer came (the connection was refused or cut before the response);
 * - `interrupted`: the connection broke while the answer's body was being read;
 * - `timedOut`: no whole answer, body included, within the request timeout;
 * - `tooLarge`: the answer is larger than Keyway reads.
 */
export type RequestFailureKind =
  | 'unresolved'
  | 'unreachable'
  | 'interrupted'
  | 'timedOut'
  | 'tooLarge'

/**
 * A protocol request that failed at the HTTP level, classified where it happened (Keyway's
 * fetch). Its message names the URL without its query, and the system's code for the
 * failure when there is one (`ECONNREFUSED`); never a request or response body.
 */
export class RequestFailure extends Error {
  override readonly name = 'RequestFailure'
  readonly kind: RequestFailureKind
  /** The system's code for the failure, e.g. `ECONNRESET`, when one was given. */
  readonly code: string | undefined

  constructor(
    kind: RequestFailureKind,
    message: string,
    details: { readonly code?: string; readonly cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kind = kind
    this.code = details.code
  }
}

/** The URL a message may name: origin and path, never the query or credentials. */
export function displayUrl(input: string | URL | Request): string {
  try {
    const url = new URL(input instanceof Request ? input.url : String(input))
    return `${url.origin}${url.pathname}`
  } catch {
    return 'the provider'
  }
}

/** undici's codes for a connection that failed, closed, or broke its answer off. */
const undiciNetworkCodes: ReadonlySet<string> = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
])

const unresolvedCodes: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'])

/** The first string `code` along `error`'s cause chain (undici puts the system's on a cause). */
function systemCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code } = current as { code?: unknown }
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * True for what `fetch` rejects with when the network fails: an error with a system code
 * along its causes, or undici's `TypeError`s ("fetch failed", "terminated"). Other errors
 * (a bug in an app's own fetch) are left for the protocol's error mapping.
 */
function isNetworkFailure(error: unknown): boolean {
  const code = systemCode(error) ?? ''
  if (/^E(?!RR_)[A-Z0-9_]+$/.test(code) || undiciNetworkCodes.has(code)) return true
  return error instanceof TypeError && /fetch failed|terminated|network|socket/i.test(error.message)
}

/**
 * Classifies what a request rejected with. `phase` says whether the response had arrived:
 * a failure after it broke the body. Errors that are not network failures come back as they
 * are: an abort by the caller is the caller's to report.
 */
export function classifyFailure(
  error: unknown,
  url: string,
  phase: 'connecting' | 'reading',
): unknown {
  if (error instanceof RequestFailure || !isNetworkFailure(error)) return error
  const code = systemCode(error)
  const because = code === undefined ? '' : ` (${code})`
  const { name, message } = error as { name?: unknown; message?: unknown }
  const cause = new ProtocolErrorCause({ name, message, code })
  const details = { ...(code === undefined ? {} : { code }), cause }
  if (code !== undefined && unresolvedCodes.has(code)) {
    return new RequestFailure(
      'unresolved',
      `the host name in ${url} could not be resolved${because}`,
      details,
    )
  }
  if (phase === 'reading') {
    return new RequestFailure(
      'interrupted',
      `the connection to ${url} broke while its answer was read${because}`,
      details,
    )
  }
  return new RequestFailure('unreachable', `${url} could not be reached${because}`, details)
}
