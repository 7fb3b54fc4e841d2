import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import {
  type AuthorizationRequest,
  abortError,
  type Callback,
  type CodeSession,
  configError,
  KeywayError,
  KeywayErrorCodes,
  type LoginOutcome,
} from '@keyway/core'
import { deferred } from './deferred.js'
import { guardListener } from './guard.js'
import { uriHostOf } from './host.js'
import type { Listening } from './listen.js'
import { say, showAuthorizationUrl } from './opener.js'
import type { ResolvedLoopbackOptions } from './options.js'
import { PageRenderer } from './pages.js'
import { sendPage, sendRedirect } from './respond.js'
import { finalPagePaths, type RouteTable, routeRequest } from './route.js'
import { closeServers, dropConnections } from './shutdown.js'
import { judgeCallback } from './verdict.js'

/** How long the final page waits to be fetched before the servers close without it. */
const FINAL_PAGE_GRACE_MS = 2_000

/**
 * Where the session is:
 * - `waiting`: no answer yet; the URL may or may not have been shown.
 * - `holding`: this login's answer arrived; its response is held until the outcome is known.
 * - `ending`: the outcome is known and the browser was sent to the final page, served once.
 * - `closing`: the servers are closing (or closed) with all their sockets.
 */
type Phase =
  | { readonly name: 'waiting' }
  | { readonly name: 'holding'; readonly response: ServerResponse }
  | { readonly name: 'ending'; readonly path: string; readonly html: string }
  | { readonly name: 'closing' }

/** The error a login that ended without a word from the caller is shown with. */
function endedEarly(): KeywayError {
  return new KeywayError(
    KeywayErrorCodes.aborted,
    'The sign-in ended before it completed. Return to the app to try again.',
  )
}

/**
 * One login attempt on a bound loopback receiver (see `loopback()`).
 *
 * The answer to the callback request is held until {@link LoopbackSession.finish}: it is then
 * a 302 to `/done` or `/error`. Holding it, rather than first redirecting to a waiting page,
 * keeps it to one request whose progress the browser shows, replaces the callback URL (and
 * its code) in the history with the final page's, and means no page says "signed in" before
 * the tokens are saved.
 */
export class LoopbackSession implements CodeSession {
  readonly redirectUri: string
  readonly #options: ResolvedLoopbackOptions
  readonly #servers: readonly Server[]
  readonly #routes: RouteTable
  readonly #pages: PageRenderer
  readonly #answer = deferred<Callback>()
  readonly #closed = deferred<void>()
  readonly #signals = new Set<AbortSignal>()
  #phase: Phase = { name: 'waiting' }
  #request: AuthorizationRequest | undefined
  /** The wait for the browser (`timeout`), then the wait for the final page to be fetched. */
  #timer: NodeJS.Timeout | undefined
  #shuttingDown = false
  #faultNoticed = false

  constructor(listening: Listening, options: ResolvedLoopbackOptions, signal: AbortSignal) {
    const { servers, port } = listening
    const uri = new URL(`http://${options.host.uriHost}:${port}${options.path}`)
    this.redirectUri = uri.href
    this.#options = options
    this.#servers = servers
    this.#pages = new PageRenderer(options.pages)
    const names = [options.host.uriHost, 'localhost', ...options.host.addresses.map(uriHostOf)]
    this.#routes = { redirectUri: uri, hosts: new Set(names.map((name) => `${name}:${port}`)) }
    const listener = guardListener(this.#onRequest, {
      page: () => this.#pages.badRequest(),
      noticed: () => this.#noticeFault(),
    })
    for (const server of servers) server.on('request', listener)
    this.#follow(signal)
  }

  /** Shows the URL (prints it, opens the browser) and waits for this login's answer. */
  receive(request: AuthorizationRequest): Promise<Callback> {
    if (this.#request !== undefined) {
      return Promise.reject(configError('A loopback session receives one answer only.'))
    }
    this.#request = request
    this.#follow(request.signal)
    if (this.#phase.name === 'waiting') {
      const { timeout, open, output } = this.#options
      if (timeout !== undefined) {
        this.#timer = setTimeout(() => this.#end({ ok: false, error: this.#timedOut() }), timeout)
        this.#timer.unref()
      }
      void showAuthorizationUrl(request.url.href, open, output)
    }
    return this.#answer.promise
  }

  /** Sends the browser to the success or error page. Only the first outcome counts. */
  async finish(outcome: LoginOutcome): Promise<void> {
    this.#end(outcome)
  }

  /**
   * Resolves once the servers are closed with all their sockets: after the final page was
   * served, or at most 2 s after the outcome when it is never fetched.
   */
  async close(): Promise<void> {
    this.#end({ ok: false, error: endedEarly() })
    await this.#closed.promise
  }

  #timedOut(): KeywayError {
    return new KeywayError(
      KeywayErrorCodes.timeout,
      `No answer reached ${this.redirectUri} within ${this.#options.timeout} ms.`,
    )
  }

  #follow(signal: AbortSignal): void {
    if (this.#signals.has(signal)) return
    this.#signals.add(signal)
    signal.addEventListener('abort', this.#onAbort, { once: true })
    if (signal.aborted) this.#onAbort()
  }

  readonly #onAbort = (): void => {
    const aborted = [...this.#signals].find((signal) => signal.aborted)
    this.#end({ ok: false, error: abortError(aborted) })
  }

  readonly #onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const route = routeRequest(request, this.#routes)
    if (route.kind === 'callback') this.#onCallback(route.url, response)
    else if (route.kind === 'finalPage') this.#onFinalPage(route.path, response)
    else sendPage(response, 404, this.#pages.notFound())
  }

  /** Tells the person, once, that a request failed; what it was and why stays unsaid. */
  #noticeFault(): void {
    if (this.#faultNoticed) return
    this.#faultNoticed = true
    say(
      this.#options.output,
      'The sign-in receiver could not handle a request and refused it; the sign-in is still waiting.',
    )
  }

  #onCallback(url: URL, response: ServerResponse): void {
    const verdict = judgeCallback(url.searchParams, this.#request)
    if (verdict.kind === 'foreign') {
      sendPage(response, 400, this.#pages.rejected())
    } else if (this.#phase.name !== 'waiting') {
      sendPage(response, 409, this.#pages.duplicate())
    } else {
      this.#phase = { name: 'holding', response }
      clearTimeout(this.#timer)
      if (verdict.kind === 'code') this.#answer.resolve({ kind: 'redirect', url })
      else this.#answer.reject(verdict.error)
    }
  }

  #onFinalPage(path: string, response: ServerResponse): void {
    const phase = this.#phase
    if (phase.name !== 'ending' || phase.path !== path) {
      sendPage(response, 404, this.#pages.notFound())
      return
    }
    this.#phase = { name: 'closing' }
    sendPage(response, 200, phase.html)
    const socket = response.socket
    if (socket === null || socket.destroyed) this.#shutdown()
    else socket.once('close', () => this.#shutdown())
  }

  /** Moves to the end once: the first outcome, abort, timeout or close decides the page. */
  #end(outcome: LoginOutcome): void {
    const phase = this.#phase
    if (phase.name === 'waiting') {
      this.#answer.reject(outcome.ok ? endedEarly() : outcome.error)
      this.#shutdown()
      return
    }
    if (phase.name !== 'holding') return
    const page = outcome.ok
      ? { path: finalPagePaths.success, html: this.#pages.success() }
      : { path: finalPagePaths.error, html: this.#pages.error(outcome.error) }
    this.#phase = { name: 'ending', ...page }
    const socket = phase.response.socket
    if (socket === null || socket.destroyed) {
      // The browser gave up on the callback request: no one will ask for the page.
      this.#shutdown()
      return
    }
    sendRedirect(phase.response, page.path)
    this.#timer = setTimeout(() => this.#shutdown(), FINAL_PAGE_GRACE_MS)
    this.#timer.unref()
  }

  /** Closes the servers and every socket, once; `close()` resolves when it is done. */
  #shutdown(): void {
    if (this.#shuttingDown) return
    this.#shuttingDown = true
    this.#phase = { name: 'closing' }
    clearTimeout(this.#timer)
    for (const signal of this.#signals) signal.removeEventListener('abort', this.#onAbort)
    void closeServers(this.#servers).then(() => this.#closed.resolve())
    dropConnections(this.#servers)
  }
}
