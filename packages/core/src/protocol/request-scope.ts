/** The operation whose requests are being made: its caller's signal, and when it last sent. */
interface RequestScope {
  readonly signal: AbortSignal | undefined
  sentAt: number | undefined
  /** The request being made; the operation's requests go one after the other. */
  request: AbortController | undefined
}

/**
 * The protocol operations of one client, one at a time: the caller's `signal` reaches every
 * HTTP request an operation makes, and the operation learns when its last request was sent
 * (expiry counts from then). openid-client takes no signal for most calls, so the fetch
 * Keyway hands it asks the scope.
 *
 * Keyway's machine runs one protocol operation per client at a time (a login, a refresh, a
 * logout), so the scope is the current operation of this client; no `AsyncLocalStorage`,
 * whose promise hooks would slow every promise in the process on Node 20. A request still in
 * flight from an operation the machine already left cannot save anything: the actors check
 * their own signal before writing.
 */
export class RequestScopes {
  #current: RequestScope | undefined

  /** Runs `run` as the current operation; resolves with its result and its last send time. */
  async run<T>(
    signal: AbortSignal | undefined,
    run: () => Promise<T>,
  ): Promise<{ readonly result: T; readonly sentAt: number | undefined }> {
    const scope: RequestScope = { signal, sentAt: undefined, request: undefined }
    // One listener for the whole operation, removed when it ends: a signal that outlives many
    // operations (a poll loop's) gathers none.
    const onAbort = () => scope.request?.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    this.#current = scope
    try {
      return { result: await run(), sentAt: scope.sentAt }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      if (this.#current === scope) this.#current = undefined
    }
  }

  /**
   * Ties `request` to the current operation: it is aborted when the operation's signal is
   * (at once, if it already was).
   */
  attach(request: AbortController): void {
    const scope = this.#current
    if (scope === undefined) return
    scope.request = request
    if (scope.signal?.aborted) request.abort(scope.signal.reason)
  }

  /** Records that the current operation sends a request at `time` (epoch ms). */
  markSent(time: number): void {
    if (this.#current !== undefined) this.#current.sentAt = time
  }
}
