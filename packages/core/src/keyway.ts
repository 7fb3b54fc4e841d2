import { setMaxListeners } from 'node:events'
import type { Actor } from 'xstate'
import {
  type AuthorizationHeaders,
  type AuthorizationHeadersOptions,
  ResourceRequests,
} from './dpop/resource-requests.js'
import { configError, type KeywayError } from './errors.js'
import { ColdStart } from './keyway/cold-start.js'
import { stoppedError } from './keyway/failures.js'
import { KeywayListeners } from './keyway/listeners.js'
import { limitLogin, loginTimeoutError } from './keyway/login-limits.js'
import { createMachineActor } from './keyway/machine-actor.js'
import {
  heldTokens,
  isLoggingIn,
  isSettledOrLoggingIn,
  isSettledOrRefreshing,
  type KeywaySnapshot,
  loginEnding,
  topState,
} from './keyway/snapshot-view.js'
import { answerFrom, type SharedRefresh, shareRefresh } from './keyway/token-answer.js'
import type {
  Keyway,
  KeywayEvents,
  KeywayRuntimeOptions,
  KeywayState,
  LoginOptions,
  TokenOptions,
} from './keyway/types.js'
import { untilAborted } from './keyway/waiting.js'
import { WorkUnderWay } from './keyway/work-under-way.js'
import type { KeywayMachine } from './machine/machine.js'
import { servingMinTtl } from './machine/schedule.js'
import { type KeywayOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { isAccessTokenFresh, type TokenSet } from './tokens.js'
import { xstate } from './xstate-runtime.js'

/**
 * A thin facade over one actor of Keyway's machine: it sends events and reads snapshots.
 * Until the machine is needed, the store read made at start answers (the cold start).
 */
class KeywayClient implements Keyway {
  readonly #options: ResolvedOptions
  readonly #inspect: KeywayRuntimeOptions['inspect']
  readonly #listeners = new KeywayListeners()
  /** The machine's steps under way, for `stop()` to wait on. */
  readonly #work = new WorkUnderWay()
  readonly #cold: ColdStart
  #actor: Actor<KeywayMachine> | undefined
  /** Aborted by `stop()`, ending every wait (any number of them: no listener limit). */
  readonly #stopping = new AbortController()
  /** Set by `stop()` with the abort above; a field, since the hot path reads it on every call. */
  #stopped = false
  /** The one outcome every caller of the refresh under way shares. */
  #refreshOutcome: SharedRefresh | undefined
  #resources: ResourceRequests | undefined

  constructor(options: KeywayOptions & KeywayRuntimeOptions) {
    this.#options = resolveOptions(options)
    this.#inspect = options.inspect
    setMaxListeners(0, this.#stopping.signal)
    this.#cold = new ColdStart(this.#options.store, this.#options.storeKey, (error) =>
      this.#listeners.emit('error', error),
    )
    // An app that inspects wants the machine from the start; everyone else gets it on need.
    if (this.#inspect !== undefined) this.#boot()
    this.#cold.watch(
      {
        now: this.#options.protocol.clock,
        random: this.#options.protocol.random,
        margin: this.#options.refreshMargin,
      },
      {
        needsMachine: () => this.#boot(true),
        showState: (state) => this.#listeners.stateChanged(state),
        handOver: () => this.#boot(),
      },
    )
  }

  /**
   * Starts the machine (once). It reuses the start-up read while that is the latest news;
   * started later, it reads the store again (another process may have refreshed), holding
   * the tokens read at start in case the store cannot be read now.
   */
  #boot(reuseRead = this.#cold.read.status === 'pending'): Actor<KeywayMachine> {
    if (this.#actor !== undefined) return this.#actor
    this.#cold.cancel()
    this.#actor = createMachineActor({
      options: this.#options,
      inspect: this.#inspect,
      listeners: this.#listeners,
      work: this.#work,
      restored: reuseRead ? this.#cold.reading : undefined,
      held: this.#cold.tokens,
    })
    // A stopped Keyway hands out its actor for inspection, but never starts it.
    if (!this.#stopped) this.#actor.start()
    return this.#actor
  }

  /** Resolves with the first snapshot `done` accepts; rejects on `stop()` or `signal`. */
  #when(done: (state: KeywayState) => boolean, signal?: AbortSignal): Promise<KeywaySnapshot> {
    if (this.#stopped) return Promise.reject(stoppedError())
    const waiting = xstate().waitFor(this.#boot(), (snapshot) => done(topState(snapshot)), {
      signal: this.#stopping.signal,
    })
    return untilAborted(waiting, signal)
  }

  /**
   * Runs `then` on the current snapshot when `ready` accepts it, at once (so that calls made
   * one after another reach the machine in that order), or on the first one it accepts.
   */
  #onceReady<T>(
    ready: (state: KeywayState) => boolean,
    signal: AbortSignal | undefined,
    then: (snapshot: KeywaySnapshot, waited: boolean) => Promise<T>,
  ): Promise<T> {
    const now = this.#boot().getSnapshot()
    if (!this.#stopped && ready(topState(now))) return then(now, false)
    return this.#when(ready, signal).then((snapshot) => then(snapshot, true))
  }

  /** The held tokens when they are fresh enough to hand out without the machine's work. */
  #servable(minTtl: number | undefined): TokenSet | undefined {
    if (this.#stopped) return undefined
    const tokens =
      this.#actor === undefined ? this.#cold.tokens : heldTokens(this.#actor.getSnapshot())
    if (tokens === undefined) return undefined
    const now = this.#options.protocol.clock()
    const ttl = minTtl ?? servingMinTtl(tokens, this.#options.refreshMargin, now)
    return isAccessTokenFresh(tokens, now, ttl) ? tokens : undefined
  }

  get actor(): Actor<KeywayMachine> {
    return this.#boot()
  }

  get state(): KeywayState {
    if (this.#actor !== undefined) return topState(this.#actor.getSnapshot())
    const plan = this.#cold.plan(this.#options.protocol.clock())
    return plan === 'machine' ? 'restoring' : plan
  }

  on<K extends keyof KeywayEvents>(event: K, listener: (value: KeywayEvents[K]) => void) {
    return this.#listeners.on(event, listener)
  }

  subscribe(listener: (state: KeywayState) => void) {
    return this.#listeners.subscribe(listener)
  }

  async ready(): Promise<KeywayState> {
    await this.#cold.settled()
    if (this.#actor === undefined) return this.state
    return topState(await this.#when((state) => state !== 'restoring'))
  }

  login({ signal, timeout }: LoginOptions = {}): Promise<TokenSet> {
    if (this.#options.transport === undefined) {
      return Promise.reject(configError('login() needs a transport: pass one to createKeyway().'))
    }
    const invalid = loginTimeoutError(timeout)
    if (invalid !== undefined) return Promise.reject(invalid)
    // A refresh under way finishes first: its rotated refresh token must not be lost.
    return this.#onceReady(isSettledOrLoggingIn, signal, async (before) => {
      if (isLoggingIn(topState(before))) {
        // Join the login under way; this caller's signal stops only its own wait.
        return loginEnding(await this.#when((state) => !isLoggingIn(state), signal))
      }
      const actor = this.#boot()
      actor.send({ type: 'login' })
      const cancel = (error: KeywayError) => actor.send({ type: 'login.cancel', error })
      const release = limitLogin(cancel, signal, timeout)
      try {
        return loginEnding(await this.#when((state) => !isLoggingIn(state)))
      } finally {
        release()
      }
    })
  }

  getAccessToken(options?: TokenOptions): Promise<string> {
    if (options === undefined) {
      const tokens = this.#servable(undefined)
      if (tokens !== undefined) return Promise.resolve(tokens.accessToken)
      // A herd of callers joins the refresh under way on one shared promise.
      if (this.#refreshOutcome !== undefined) return this.#refreshOutcome.accessToken
    }
    return this.getTokens(options).then((tokens) => tokens.accessToken)
  }

  getTokens(options: TokenOptions = {}): Promise<TokenSet> {
    if (this.#cold.read.status !== 'pending') return this.#tokens(options)
    const read = untilAborted(this.#cold.settled(), this.#stopping.signal)
    return untilAborted(read, options.signal).then(() => this.#tokens(options))
  }

  /**
   * Answers a token request once the start-up read is in. Without a usable grant, the store
   * is read again first (`storeRead`): a machine that waited through any step, or that starts
   * now, has done so.
   */
  #tokens(options: TokenOptions, storeRead = false): Promise<TokenSet> {
    const { signal, minTtl, forceRefresh = false } = options
    if (!forceRefresh) {
      const tokens = this.#servable(minTtl)
      if (tokens !== undefined) return Promise.resolve(tokens)
    }
    const starting = this.#actor === undefined
    return this.#onceReady(isSettledOrRefreshing, signal, async (snapshot, waited) => {
      const now = this.#options.protocol.clock()
      const read = storeRead || starting || waited
      const answer = answerFrom(snapshot, { now, minTtl, forceRefresh, storeRead: read })
      switch (answer.kind) {
        case 'tokens':
          return answer.tokens
        case 'error':
          throw answer.error
        case 'refresh':
          this.#boot().send({ type: 'token.refresh' })
          return this.#refreshed(signal)
        case 'await refresh':
          return this.#refreshed(signal)
        case 'read again':
          this.#boot().send({ type: 'token.refresh' })
          return this.#tokens(options, true)
      }
    })
  }

  /** The outcome of the refresh under way, shared by every caller that waits for it. */
  #refreshed(signal: AbortSignal | undefined): Promise<TokenSet> {
    if (this.#refreshOutcome === undefined) {
      const ended = this.#when((state) => state !== 'refreshing')
      const outcome = shareRefresh(ended, this.#options.protocol.clock)
      this.#refreshOutcome = outcome
      const forget = () => {
        if (this.#refreshOutcome === outcome) this.#refreshOutcome = undefined
      }
      outcome.tokens.then(forget, forget)
    }
    return untilAborted(this.#refreshOutcome.tokens, signal)
  }

  /** Presents the tokens to resource servers; made on first use. */
  #resourceRequests(): ResourceRequests {
    this.#resources ??= new ResourceRequests(
      this.#options.protocol.fetch,
      this.#options.protocol.clock,
    )
    return this.#resources
  }

  async authorizationHeaders(
    method: string,
    url: string | URL,
    options: AuthorizationHeadersOptions = {},
  ): Promise<AuthorizationHeaders> {
    const tokens = await this.getTokens(options.signal ? { signal: options.signal } : {})
    return this.#resourceRequests().headers(tokens, method, url, options.nonce)
  }

  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const signal = init?.signal ?? undefined
    return this.#resourceRequests().fetch(
      () => this.getTokens(signal ? { signal } : {}),
      input,
      init,
    )
  }

  logout(): Promise<void> {
    // A login under way finishes first; a refresh under way is cut off by the logout.
    return this.#onceReady(isSettledOrRefreshing, undefined, async () => {
      this.#boot().send({ type: 'logout' })
      const { context, value } = await this.#when((state) => state === 'idle' || state === 'failed')
      if (value === 'failed' && context.error !== undefined) throw context.error
    })
  }

  async stop(): Promise<void> {
    this.#stopped = true
    this.#cold.cancel()
    this.#stopping.abort(stoppedError())
    this.#actor?.stop()
    await this.#work.settled()
  }
}

/**
 * Creates a Keyway: it restores the stored grant at once, keeps it fresh, and logs the
 * person in on request through the transport.
 *
 * @example
 * ```ts
 * import { createKeyway, memoryStore } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 *
 * const kw = createKeyway({
 *   issuer: 'https://accounts.example.com',
 *   clientId: 'my-cli',
 *   scopes: ['openid', 'offline_access'],
 *   transport: loopback(),
 *   store: memoryStore(),
 * })
 * await kw.login()
 * const token = await kw.getAccessToken()
 * ```
 */
export function createKeyway(options: KeywayOptions & KeywayRuntimeOptions): Keyway {
  return new KeywayClient(options)
}
