import { readBoundedBody } from './bounded-body.js'
import { noteChallengedBody, statedOAuthError } from './challenge.js'
import { classifyFailure, displayUrl, RequestFailure } from './request-failure.js'
import type { RequestScopes } from './request-scope.js'

/** The `fetch` signature Keyway accepts for its HTTP requests. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** What one protocol request may cost: its time, body included, and its answer's size. */
export interface RequestLimits {
  /** The longest a request may take, in ms, from sending it to its answer's last byte. */
  readonly timeout: number
  /** The most bytes of an answer's body that are read; a larger answer is refused. */
  readonly maxResponseBytes: number
}

const answeredUrls = new WeakMap<Response, string>()

/**
 * The URL (origin and path) that answered with `response`, for a response read by Keyway's
 * fetch: what an error about it names.
 */
export function answeredUrl(response: Response): string | undefined {
  return answeredUrls.get(response)
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/** Statuses whose response can have no body (the `Response` constructor refuses one). */
const nullBodyStatuses: ReadonlySet<number> = new Set([101, 103, 204, 205, 304])

/** True for a device-grant poll, whose `authorization_pending` some providers send as 200. */
function isDevicePoll(init: RequestInit): boolean {
  if (init.body === undefined || init.body === null) return false
  return new URLSearchParams(String(init.body)).get('grant_type') === DEVICE_GRANT
}

/**
 * The one controller a request is sent with: it aborts when the calling operation's signal
 * does (through `scopes`), when openid-client's own signal does (discovery has one), or after
 * `timeout` ms with the `TimeoutError` that `AbortSignal.timeout` would give. One controller
 * and one timer per request: cheaper than `AbortSignal.any` over a timeout signal, which
 * Node builds with weak references. `finish()` clears the timer and the listener.
 */
function startRequest(scopes: RequestScopes, own: AbortSignal | null | undefined, timeout: number) {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = !controller.signal.aborted
    controller.abort(new DOMException('The request timed out.', 'TimeoutError'))
  }, timeout)
  timer.unref()
  const follow = () => controller.abort(own?.reason)
  if (own != null) {
    if (own.aborted) follow()
    else own.addEventListener('abort', follow, { once: true })
  }
  scopes.attach(controller)
  return {
    controller,
    /** True when this request's own timeout cut it off. */
    timedOut: () => timedOut,
    finish: () => {
      clearTimeout(timer)
      own?.removeEventListener('abort', follow)
    },
  }
}

/**
 * Wraps `fetch` for protocol requests:
 * - asks for JSON (GitHub answers form-encoded otherwise);
 * - gives the request one signal: the calling operation's abort and the request timeout
 *   (`limits.timeout` ms, counted here rather than by openid-client), which bounds the body
 *   as well as the headers;
 * - reads the body here, at most `limits.maxResponseBytes` of it, and hands openid-client a
 *   response holding those bytes; a larger answer ends the request;
 * - reports a network failure as a {@link RequestFailure}, which names the URL and the
 *   system's code: before the answer (refused, not found, reset), while reading its body, or
 *   at the timeout;
 * - records when each request is sent, so expiry counts from the send;
 * - for device-grant polls, turns an HTTP 200 whose JSON body carries `error` and no
 *   `access_token` (GitHub's `authorization_pending`) into the HTTP 400 the RFC asks for, so
 *   polling goes on. Elsewhere such an answer is read as the OAuth error it is when it fails
 *   openid-client's checks (see `toProtocolError`), which costs a successful answer nothing.
 */
export function protocolFetch(
  base: Fetch,
  clock: () => number,
  scopes: RequestScopes,
  limits: RequestLimits,
): Fetch {
  return async (input, init = {}) => {
    let headers = init.headers
    if (!(headers instanceof Headers) || !headers.has('accept')) {
      headers = new Headers(headers)
      if (!headers.has('accept')) headers.set('accept', 'application/json')
    }
    const url = displayUrl(input)
    const request = startRequest(scopes, init.signal, limits.timeout)
    let phase: 'connecting' | 'reading' = 'connecting'
    scopes.markSent(clock())
    try {
      const response = await base(input, { ...init, headers, signal: request.controller.signal })
      phase = 'reading'
      const body = await readBoundedBody(response, limits.maxResponseBytes, url, (reason) =>
        request.controller.abort(reason),
      )
      const read = isDevicePoll(init)
        ? rewriteErrorWithStatus200(response, body)
        : withBody(response, body, response.status)
      answeredUrls.set(read, url)
      noteChallengedBody(read, body)
      return read
    } catch (error) {
      if (request.timedOut()) {
        throw new RequestFailure(
          'timedOut',
          `${url} did not answer in full within ${limits.timeout} ms`,
        )
      }
      // Cut off by the caller or by openid-client's own signal: theirs to report.
      if (request.controller.signal.aborted && !(error instanceof RequestFailure)) throw error
      throw classifyFailure(error, url, phase)
    } finally {
      request.finish()
    }
  }
}

function withBody(response: Response, body: Uint8Array, status: number): Response {
  const kept = nullBodyStatuses.has(status) || body.byteLength === 0 ? null : body
  return new Response(kept as BodyInit | null, {
    status,
    statusText: response.statusText,
    headers: response.headers,
  })
}

function rewriteErrorWithStatus200(response: Response, body: Uint8Array): Response {
  const unchanged = () => withBody(response, body, response.status)
  if (response.status !== 200) return unchanged()
  if (!(response.headers.get('content-type') ?? '').includes('json')) return unchanged()
  const text = new TextDecoder().decode(body)
  // Most answers are tokens: parse only a body that can hold an error at all.
  if (!text.includes('"error"')) return unchanged()
  try {
    const parsed: unknown = JSON.parse(text)
    if (statedOAuthError(parsed) !== undefined && !('access_token' in (parsed as object))) {
      return withBody(response, body, 400)
    }
  } catch {
    // Not JSON after all: openid-client reports that as an invalid response.
  }
  return unchanged()
}
