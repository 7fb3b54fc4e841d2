import type { Actor } from 'xstate'
import { abortError, configError, KeywayError, KeywayErrorCodes } from './errors.js'
import { isStoreOrNetwork, loginRequired, stoppedError } from './keyway/failures.js'
import { RefreshHeadStart } from './keyway/head-start.js'
import { KeywayListeners } from './keyway/listeners.js'
import { RefreshOutcome, refreshEnding } from './keyway/refresh-outcome.js'
import { isSettled, topState, unrefClock } from './keyway/states.js'
import type {
  Keyway,
  KeywayEvents,
  KeywayRuntimeOptions,
  KeywayState,
  LoginOptions,
  TokenOptions,
} from './keyway/types.js'
import {
  type DeferredResult,
  deferred,
  deferredResult,
  type Settled,
  untilAborted,
} from './keyway/waiting.js'
import type { ActorDeps } from './machine/actor-deps.js'
import { keywayActors } from './machine/actors.js'
import { type KeywayMachine, keywayMachine } from './machine/machine.js'
import { refreshUnderLock } from './machine/refresh-step.js'
import { delayUntil, planRefresh } from './machine/schedule.js'
import type { KeywayContext } from './machine/types.js'
import { memoryStore } from './memory-store.js'
import { type KeywayOptions, type ResolvedOptions, resolveOptions } from './options.js'
import type { TokenStore } from './ports/store.js'
import type { Protocol } from './protocol/client.js'
import { isAccessTokenFresh, type TokenSet } from './tokens.js'
import { xstate } from './xstate-runtime.js'

class KeywayClient implements Keyway {
  readonly #options: ResolvedOptions
  readonly #store: TokenStore
  readonly #clock: () => number
  readonly #minTtl: number
  readonly #inspect: KeywayRuntimeOptions['inspect']
  readonly #listeners = new KeywayListeners()
  /** The store read at start, shared by the quick path and the machine's `restore`. */
  readonly #restored: Promise<TokenSet | undefined>
  #protocol: Promise<Protocol> | undefined
  #actor: Actor<KeywayMachine> | undefined
  #bootTimer: NodeJS.Timeout | undefined
  #stopped = false
  /** The tokens to hand out without I/O, while in `authorized` or `refreshing`. */
  #usable: TokenSet | undefined
  #state: KeywayState = 'restoring'
  #login: Promise<TokenSet> | undefined
  /** Settles at the next change of state; replaced each time. */
  #change = deferred()
  /** The machine's steps under way. */
  readonly #work = new Set<Promise<unknown>>()
  /** The outcome of the refresh under way, for callers that only want a token. */
  #inflight: RefreshOutcome | undefined
  /** A refresh a caller needed, started before the machine hears of it. */
  readonly #headStart = new RefreshHeadStart()
  /** What the machine's actors work with, once the machine is built. */
  #deps: ActorDeps | undefined
  /** Shows the machine's current state (set once the machine is built). */
  #publish: (() => void) | undefined
  /** The `login()` waiting for its tokens, which the exchange hands over once saved. */
  #loginDelivery: DeferredResult<TokenSet> | undefined

  constructor(options: KeywayOptions & KeywayRuntimeOptions) {
    this.#options = resolveOptions(options)
    this.#store = this.#options.store ?? memoryStore()
    this.#clock = this.#options.protocol.clock
    this.#minTtl = Math.min(5_000, this.#options.refreshMargin)
    this.#inspect = options.inspect
    this.#restored = this.#store.load(this.#options.storeKey, {
      report: (error) => this.#listeners.emit('error', error),
    })
    // An app that inspects wants the machine from the start; everyone else gets it on need.
    if (this.#inspect !== undefined) this.#boot()
    this.#restored.then(
      (tokens) => this.#onRestored(tokens),
      () => this.#boot(),
    )
  }

  /**
   * Decides what the stored grant allows without the machine: a valid token is served at
   * once and the machine waits until its refresh is due; a grant that needs a refresh starts
   * the machine now.
   */
  #onRestored(tokens: TokenSet | undefined): void {
    if (this.#actor !== undefined || this.#stopped) return
    const now = this.#clock()
    if (tokens === undefined) {
      this.#setState('idle', undefined)
      return
    }
    if (isAccessTokenFresh(tokens, now)) {
      this.#setState('authorized', tokens)
      const refreshAt = planRefresh(tokens, {
        now,
        margin: this.#options.refreshMargin,
        random: this.#options.protocol.random(),
      })
      if (refreshAt !== undefined) {
        this.#bootTimer = setTimeout(() => this.#boot(), delayUntil(refreshAt, now))
        this.#bootTimer.unref()
      }
      return
    }
    if (tokens.refreshToken === undefined) this.#setState('loginRequired', undefined)
    else this.#boot()
  }

  #setState(state: KeywayState, usable: TokenSet | undefined): void {
    const changed = state !== this.#state
    this.#state = state
    this.#usable = usable
    const change = this.#change
    this.#change = deferred()
    change.resolve()
    if (changed) this.#listeners.stateChanged(state)
  }

  /** The protocol, loaded (with openid-client) on its first use. */
  #loadProtocol(): Promise<Protocol> {
    this.#protocol ??= import('./protocol/client.js').then(
      ({ Protocol }) => new Protocol(this.#options.protocol),
    )
    return this.#protocol
  }

  /**
   * The store read again for a machine started after the start-up read. When the store
   * cannot be read (Redis down), the tokens already held are kept: an outage must not cost a
   * valid token; the refresh that follows reports the outage.
   */
  #readAgain(): Promise<TokenSet | undefined> {
    const held = this.#usable
    return this.#store
      .load(this.#options.storeKey, { report: (error) => this.#listeners.emit('error', error) })
      .catch((error: unknown) => {
        if (held === undefined) throw error
        return held
      })
  }

  /** Starts the machine (once), taking over from the quick path. */
  #boot(): Actor<KeywayMachine> {
    if (this.#actor !== undefined) return this.#actor
    clearTimeout(this.#bootTimer)
    const { createActor } = xstate()
    const deps: ActorDeps = {
      protocol: () => this.#loadProtocol(),
      store: this.#store,
      key: this.#options.storeKey,
      // The read made at start, while it is the latest; a machine started later (when a
      // refresh falls due) reads the store again: another process may have refreshed.
      restored: this.#state === 'restoring' ? this.#restored : this.#readAgain(),
      transport: this.#options.transport,
      lockLease: this.#options.lockLease,
      now: this.#clock,
      report: (error) => this.#listeners.emit('error', error),
      track: (work) => this.#track(work),
      delivered: (step, tokens) => this.#delivered(step, tokens),
      adopt: (signal) => this.#headStart.adopt(signal),
    }
    this.#deps = deps
    const machine = keywayMachine().provide({ actors: keywayActors(deps) })
    const actor = createActor(machine, {
      input: {
        refreshMargin: this.#options.refreshMargin,
        clock: { now: this.#clock, random: this.#options.protocol.random },
      },
      clock: unrefClock,
      ...(this.#inspect === undefined ? {} : { inspect: this.#inspect }),
    })
    const settledBefore = this.#state !== 'restoring'
    const publish = () => {
      // A stopped Keyway keeps the state it stopped in: the machine may not have caught up.
      if (this.#stopped) return
      const snapshot = actor.getSnapshot()
      const state = topState(snapshot.value)
      // The machine re-reads the already-restored grant: not news to anyone listening.
      if (state === 'restoring' && settledBefore) return
      // A refresh started ahead of the machine is under way until the machine adopts it.
      if (state === 'authorized' && this.#headStart.waiting) return
      const usable = state === 'authorized' || state === 'refreshing'
      this.#trackRefresh(state, snapshot.context)
      this.#setState(state, usable ? snapshot.context.tokens?.unseal() : undefined)
    }
    this.#publish = publish
    actor.subscribe({ next: publish, complete: publish, error: publish })
    actor.on('tokens', (event) => this.#listeners.machineSaved(event.tokens.unseal()))
    actor.on('loginRequired', (event) => this.#listeners.emit('loginRequired', event.error))
    actor.on('error', (event) => this.#listeners.emit('error', event.error))
    this.#actor = actor
    if (this.#stopped) return actor
    actor.start()
    return actor
  }

  /**
   * Keeps one outcome for the refresh under way, settled when the machine leaves
   * `refreshing` (unless the tokens were handed over before): callers that only want a token
   * share it, however many arrive while it runs.
   */
  #trackRefresh(state: KeywayState, context: KeywayContext): void {
    const inflight = this.#inflight
    if (state === 'refreshing') {
      if (inflight === undefined) this.#inflight = new RefreshOutcome()
      return
    }
    if (inflight === undefined) return
    this.#inflight = undefined
    const ending = refreshEnding(state, context)
    if ('tokens' in ending) inflight.resolve(ending.tokens)
    else inflight.reject(ending.error)
  }

  /**
   * Hands the tokens a login or refresh has saved to whoever waits for them at once: the state
   * shows `authorized` and the `tokens` event goes out, in that order, before any caller
   * resumes. The machine's own move to `authorized` follows on the event loop's next turn, so
   * its bookkeeping costs those callers nothing. False when no one was waiting: the machine
   * then moves on at once.
   */
  #delivered(step: 'login' | 'refresh', tokens: TokenSet): boolean {
    const waiting = step === 'login' ? this.#loginDelivery : this.#inflight
    if (waiting === undefined || this.#stopped) return false
    if (step === 'login') this.#loginDelivery = undefined
    else this.#inflight = undefined
    this.#setState('authorized', tokens)
    this.#listeners.announce(tokens)
    waiting.resolve(tokens)
    return true
  }

  get actor(): Actor<KeywayMachine> {
    return this.#boot()
  }

  get state(): KeywayState {
    return this.#state
  }

  on<K extends keyof KeywayEvents>(event: K, listener: (value: KeywayEvents[K]) => void) {
    return this.#listeners.on(event, listener)
  }

  subscribe(listener: (state: KeywayState) => void) {
    return this.#listeners.subscribe(listener)
  }

  async ready(): Promise<KeywayState> {
    await this.#restored.catch(() => undefined)
    if (this.#actor === undefined) return this.#state
    return (await this.#waitFor((state) => state !== 'restoring')).state
  }

  /** The current state and context when the machine is settled; throws once it is stopped. */
  #settledNow(): Settled | undefined {
    if (this.#stopped) throw stoppedError()
    const snapshot = this.#boot().getSnapshot()
    const state = topState(snapshot.value)
    return isSettled(state) ? { state, context: snapshot.context } : undefined
  }

  /**
   * Resolves with the context of the first snapshot that satisfies `done`, looking at the
   * current one first. Every waiter shares one promise per change, so a thousand callers
   * waiting on one refresh cost one subscription, not a thousand.
   */
  async #waitFor(
    done: (state: KeywayState, context: KeywayContext) => boolean,
    signal?: AbortSignal,
  ): Promise<Settled> {
    const actor = this.#boot()
    for (;;) {
      if (this.#stopped) throw stoppedError()
      const snapshot = actor.getSnapshot()
      const state = topState(snapshot.value)
      if (done(state, snapshot.context)) return { state, context: snapshot.context }
      await (signal === undefined
        ? this.#change.promise
        : untilAborted(this.#change.promise, signal))
    }
  }

  login(options: LoginOptions = {}): Promise<TokenSet> {
    if (this.#options.transport === undefined) {
      return Promise.reject(configError('login() needs a transport: pass one to createKeyway().'))
    }
    this.#login ??= this.#runLogin(options).finally(() => {
      this.#login = undefined
    })
    return this.#login
  }

  async #runLogin({ signal, timeout }: LoginOptions): Promise<TokenSet> {
    if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
      throw configError('login timeout must be a positive number of milliseconds.')
    }
    await this.#headStart.handed()
    const { state } = await this.#waitFor(
      (current) => isSettled(current) || current === 'authorizing',
      signal,
    )
    if (state !== 'authorizing') this.#boot().send({ type: 'login' })
    const delivery = deferredResult<TokenSet>()
    this.#loginDelivery = delivery
    const cancel = (error: KeywayError) => this.#boot().send({ type: 'login.cancel', error })
    const onAbort = () => cancel(abortError(signal))
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(
            () =>
              cancel(
                new KeywayError(
                  KeywayErrorCodes.timeout,
                  `The login timed out after ${timeout} ms.`,
                ),
              ),
            timeout,
          )
    signal?.addEventListener('abort', onAbort, { once: true })
    if (signal?.aborted) onAbort()
    try {
      // The saved tokens, handed over at once, or how the machine ended the login otherwise.
      return await Promise.race([delivery.promise, this.#loginOutcome()])
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (this.#loginDelivery === delivery) this.#loginDelivery = undefined
    }
  }

  /** The tokens of the login under way, once the machine has left it; its error otherwise. */
  async #loginOutcome(): Promise<TokenSet> {
    const { state, context } = await this.#waitFor(
      (current) => current !== 'authorizing' && current !== 'exchanging',
    )
    if (context.error !== undefined) throw context.error
    const tokens = context.tokens?.unseal()
    if (state !== 'authorized' || tokens === undefined) {
      throw new KeywayError(KeywayErrorCodes.aborted, 'The login did not complete.')
    }
    return tokens
  }

  getAccessToken(options?: TokenOptions): Promise<string> {
    if (options === undefined) {
      const usable = this.#usable
      if (
        usable !== undefined &&
        (usable.expiresAt === undefined || usable.expiresAt - this.#clock() > this.#minTtl)
      ) {
        return Promise.resolve(usable.accessToken)
      }
      // A herd of callers joins the refresh under way on one shared promise.
      if (this.#inflight !== undefined) return this.#inflight.accessToken
    }
    return this.getTokens(options).then(accessTokenOf)
  }

  async getTokens(options: TokenOptions = {}): Promise<TokenSet> {
    const { signal, minTtl = this.#minTtl } = options
    let forceRefresh = options.forceRefresh === true
    let refreshed = false
    if (this.#actor === undefined) {
      const quick = await this.#quickTokens(forceRefresh, minTtl)
      if (quick !== undefined) return quick
    }
    for (;;) {
      // One snapshot's state and context, read at once when the machine is settled, so the
      // first of many callers sends the refresh before the others have even arrived.
      const { state, context } = this.#settledNow() ?? (await this.#waitFor(isSettled, signal))
      const tokens = context.tokens?.unseal()
      const now = this.#clock()
      switch (state) {
        case 'authorized':
          if (tokens === undefined) break
          if (refreshed) {
            // After the refresh this call asked for: its outcome, even if `minTtl` is not met.
            if (context.error === undefined && isAccessTokenFresh(tokens, now)) return tokens
            throw context.error ?? loginRequired('The access token expired and cannot be renewed.')
          }
          if (!forceRefresh && isAccessTokenFresh(tokens, now, minTtl)) return tokens
          if (tokens.refreshToken === undefined) {
            throw loginRequired('The access token expired and the grant has no refresh token.')
          }
          forceRefresh = false
          refreshed = true
          // Join a refresh already under way rather than starting one more per caller.
          if (this.#state === 'authorized') this.#refreshAhead(tokens)
          if (this.#inflight !== undefined) return this.#refreshOutcome(this.#inflight, signal)
          continue
        case 'failed':
          if (isStoreOrNetwork(context.error)) throw context.error
          throw loginRequired('The last login did not complete.', context.error)
        case 'loginRequired':
          throw loginRequired('The grant is no longer valid.', context.error)
        default:
          throw loginRequired('No one is logged in.')
      }
    }
  }

  /**
   * Starts the refresh a caller needs at once, ahead of the machine: its request goes out
   * first, and the machine, told on the next turn, adopts it as its `refreshing` step.
   */
  #refreshAhead(tokens: TokenSet): void {
    const deps = this.#deps
    if (deps === undefined || this.#headStart.waiting) {
      this.#boot().send({ type: 'token.refresh' })
      return
    }
    const outcome = new RefreshOutcome()
    this.#inflight = outcome
    this.#setState('refreshing', tokens)
    this.#headStart.start((signal) => this.#track(refreshUnderLock(tokens, deps, signal)), {
      tell: () => {
        if (!this.#stopped) this.#actor?.send({ type: 'token.refresh' })
      },
      orphaned: () => {
        if (this.#inflight === outcome) this.#inflight = undefined
        outcome.reject(
          new KeywayError(
            KeywayErrorCodes.aborted,
            'The refresh was cut off by a login or logout.',
          ),
        )
        this.#publish?.()
      },
    })
  }

  /** The tokens the refresh under way brings, as long as they are still valid when they come. */
  async #refreshOutcome(
    inflight: RefreshOutcome,
    signal: AbortSignal | undefined,
  ): Promise<TokenSet> {
    const tokens = await (signal === undefined
      ? inflight.tokens
      : untilAborted(inflight.tokens, signal))
    if (isAccessTokenFresh(tokens, this.#clock())) return tokens
    throw loginRequired('The access token expired and cannot be renewed.')
  }

  /**
   * Answers from the restored grant without starting the machine, when it can: a token that
   * is fresh enough, or no grant at all. Undefined when the machine must take over.
   */
  async #quickTokens(forceRefresh: boolean, minTtl: number): Promise<TokenSet | undefined> {
    await this.#restored.catch(() => undefined)
    if (this.#actor !== undefined) return undefined
    if (this.#stopped) throw stoppedError()
    const tokens = this.#usable
    switch (this.#state) {
      case 'authorized':
        if (
          tokens !== undefined &&
          !forceRefresh &&
          isAccessTokenFresh(tokens, this.#clock(), minTtl)
        ) {
          return tokens
        }
        return undefined
      case 'idle':
        throw loginRequired('No one is logged in.')
      case 'loginRequired':
        throw loginRequired('The stored access token expired and the grant has no refresh token.')
      default:
        return undefined
    }
  }

  async logout(): Promise<void> {
    await this.#headStart.handed()
    await this.#waitFor((state) => isSettled(state))
    this.#boot().send({ type: 'logout' })
    const { state, context } = await this.#waitFor(
      (current) => current === 'idle' || current === 'failed',
    )
    if (state === 'failed' && context.error !== undefined) throw context.error
  }

  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#bootTimer)
    this.#usable = undefined
    this.#headStart.abort(stoppedError())
    this.#actor?.stop()
    this.#inflight?.reject(stoppedError())
    this.#inflight = undefined
    this.#change.resolve()
    await Promise.allSettled(this.#work)
  }

  /** Keeps `work` (a step of the machine) until it settles, for {@link KeywayClient.stop}. */
  #track<T>(work: Promise<T>): Promise<T> {
    this.#work.add(work)
    work.then(
      () => this.#work.delete(work),
      () => this.#work.delete(work),
    )
    return work
  }
}

function accessTokenOf(tokens: TokenSet): string {
  return tokens.accessToken
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
