import type { RequestScopes } from './request-scope.js'

/** The `fetch` signature Keyway accepts for its HTTP requests. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'

/** True for a device-grant poll, whose `authorization_pending` some providers send as 200. */
function isDevicePoll(init: RequestInit): boolean {
  if (init.body === undefined || init.body === null) return false
  return new URLSearchParams(String(init.body)).get('grant_type') === DEVICE_GRANT
}

/**
 * The one signal a request is sent with: it aborts when the calling operation's signal does
 * (through `scopes`), when openid-client's own signal does (discovery has one), or after
 * `timeout` ms with the `TimeoutError` that `AbortSignal.timeout` would give. One controller
 * and one timer per request: cheaper than `AbortSignal.any` over a timeout signal, which
 * Node builds with weak references.
 */
function requestSignal(
  scopes: RequestScopes,
  own: AbortSignal | null | undefined,
  timeout: number,
) {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DOMException('The request timed out.', 'TimeoutError')),
    timeout,
  )
  timer.unref()
  if (own != null) {
    if (own.aborted) controller.abort(own.reason)
    else own.addEventListener('abort', () => controller.abort(own.reason), { once: true })
  }
  scopes.attach(controller)
  return controller.signal
}

/**
 * Wraps `fetch` for protocol requests:
 * - asks for JSON (GitHub answers form-encoded otherwise);
 * - gives the request one signal: the calling operation's abort and the request timeout
 *   (`timeout` ms, counted here rather than by openid-client);
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
  timeout: number,
): Fetch {
  return async (input, init = {}) => {
    let headers = init.headers
    if (!(headers instanceof Headers) || !headers.has('accept')) {
      headers = new Headers(headers)
      if (!headers.has('accept')) headers.set('accept', 'application/json')
    }
    const signal = requestSignal(scopes, init.signal, timeout)
    scopes.markSent(clock())
    const response = await base(input, { ...init, headers, signal })
    return isDevicePoll(init) ? rewriteErrorWithStatus200(response) : response
  }
}

async function rewriteErrorWithStatus200(response: Response): Promise<Response> {
  if (response.status !== 200) return response
  if (!(response.headers.get('content-type') ?? '').includes('json')) return response
  const text = await response.text()
  const rebuilt = (status: number) =>
    new Response(text, { status, statusText: response.statusText, headers: response.headers })
  // Most answers are tokens: parse only a body that can hold an error at all.
  if (!text.includes('"error"')) return rebuilt(200)
  try {
    const body: unknown = JSON.parse(text)
    if (
      typeof body === 'object' &&
      body !== null &&
      typeof (body as Record<string, unknown>).error === 'string' &&
      !('access_token' in body)
    ) {
      return rebuilt(400)
    }
  } catch {
    // Not JSON after all: openid-client reports that as an invalid response.
  }
  return rebuilt(200)
}
