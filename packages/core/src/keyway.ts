import type { Actor } from 'xstate'
import { configError, KeywayError, KeywayErrorCodes } from './errors.js'
import { isStoreOrNetwork, loginRequired, stoppedError } from './keyway/failures.js'
import { KeywayListeners } from './keyway/listeners.js'
import { assertLoginTimeout, limitLogin } from './keyway/login-limits.js'
import { createMachineActor } from './keyway/machine-actor.js'
import { quickAnswer, viewRestored } from './keyway/quick-path.js'
import { RefreshWaiters } from './keyway/refresh-waiters.js'
import { isSettled, topState } from './keyway/states.js'
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
import { WorkUnderWay } from './keyway/work-under-way.js'
import type { ActorDeps } from './machine/actor-deps.js'
import type { KeywayMachine } from './machine/machine.js'
import { refreshUnderLock } from './machine/refresh-step.js'
import { delayUntil } from './machine/schedule.js'
import type { KeywayContext } from './machine/types.js'
import { memoryStore } from './memory-store.js'
import { type KeywayOptions, type ResolvedOptions, resolveOptions } from './options.js'
import type { TokenStore } from './ports/store.js'
import type { Protocol } from './protocol/client.js'
import { isAccessTokenFresh, type TokenSet } from './tokens.js'

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
  /** The machine's steps under way, for `stop()` to wait on. */
  readonly #work = new WorkUnderWay()
  /** The refresh under way, as the callers waiting for it see it. */
  readonly #refreshes = new RefreshWaiters()
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
    const view = viewRestored(tokens, {
      now,
      margin: this.#options.refreshMargin,
      random: this.#options.protocol.random(),
    })
    if (view === 'start the machine') {
      this.#boot()
      return
    }
    this.#setState(view.state, view.usable)
    if (view.refreshAt !== undefined) {
      this.#bootTimer = setTimeout(() => this.#boot(), delayUntil(view.refreshAt, now))
      this.#bootTimer.unref()
    }
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
      track: (work) => this.#work.track(work),
      delivered: (step, tokens) => this.#delivered(step, tokens),
      adopt: (signal) => this.#refreshes.adopt(signal),
    }
    this.#deps = deps
    const actor = createMachineActor(
      deps,
      {
        refreshMargin: this.#options.refreshMargin,
        clock: { now: this.#clock, random: this.#options.protocol.random },
        inspect: this.#inspect,
      },
      this.#listeners,
    )
    const settledBefore = this.#state !== 'restoring'
    const publish = () => {
      // A stopped Keyway keeps the state it stopped in: the machine may not have caught up.
      if (this.#stopped) return
      const snapshot = actor.getSnapshot()
      const state = topState(snapshot.value)
      // The machine re-reads the already-restored grant: not news to anyone listening.
      if (state === 'restoring' && settledBefore) return
      // A refresh started ahead of the machine is under way until the machine adopts it.
      if (state === 'authorized' && this.#refreshes.waitingForMachine) return
      const usable = state === 'authorized' || state === 'refreshing'
      this.#refreshes.machineShowed(state, snapshot.context)
      this.#setState(state, usable ? snapshot.context.tokens?.unseal() : undefined)
    }
    this.#publish = publish
    actor.subscribe({ next: publish, complete: publish, error: publish })
    this.#actor = actor
    if (this.#stopped) return actor
    actor.start()
    return actor
  }

  /**
   * Hands the tokens a login or refresh has saved to whoever waits for them at once: the state
   * shows `authorized` and the `tokens` event goes out, in that order, before any caller
   * resumes. The machine's own move to `authorized` follows on the event loop's next turn, so
   * its bookkeeping costs those callers nothing. False when no one was waiting: the machine
   * then moves on at once.
   */
  #delivered(step: 'login' | 'refresh', tokens: TokenSet): boolean {
    const waiting = step === 'login' ? this.#loginDelivery : this.#refreshes.current
    if (waiting === undefined || this.#stopped) return false
    this.#setState('authorized', tokens)
    this.#listeners.announce(tokens)
    if (step === 'login') {
      this.#loginDelivery = undefined
      waiting.resolve(tokens)
    } else {
      this.#refreshes.deliver(tokens)
    }
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
    assertLoginTimeout(timeout)
    await this.#refreshes.handed()
    const { state } = await this.#waitFor(
      (current) => isSettled(current) || current === 'authorizing',
      signal,
    )
    if (state !== 'authorizing') this.#boot().send({ type: 'login' })
    const delivery = deferredResult<TokenSet>()
    this.#loginDelivery = delivery
    const release = limitLogin(
      (error) => this.#boot().send({ type: 'login.cancel', error }),
      signal,
      timeout,
    )
    try {
      // The saved tokens, handed over at once, or how the machine ended the login otherwise.
      return await Promise.race([delivery.promise, this.#loginOutcome()])
    } finally {
      release()
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
      const current = this.#refreshes.current
      if (current !== undefined) return current.accessToken
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
          if (this.#refreshes.current !== undefined) {
            return this.#refreshes.current.freshTokens(signal, this.#clock)
          }
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
    if (deps === undefined || this.#refreshes.waitingForMachine) {
      this.#boot().send({ type: 'token.refresh' })
      return
    }
    this.#refreshes.startAhead(
      (signal) => this.#work.track(refreshUnderLock(tokens, deps, signal)),
      {
        tell: () => {
          if (!this.#stopped) this.#actor?.send({ type: 'token.refresh' })
        },
        orphaned: () => this.#publish?.(),
      },
    )
    this.#setState('refreshing', tokens)
  }

  /**
   * Answers from the restored grant without starting the machine, when it can: a token that
   * is fresh enough, or no grant at all. Undefined when the machine must take over.
   */
  async #quickTokens(forceRefresh: boolean, minTtl: number): Promise<TokenSet | undefined> {
    await this.#restored.catch(() => undefined)
    if (this.#actor !== undefined) return undefined
    if (this.#stopped) throw stoppedError()
    return quickAnswer(this.#state, this.#usable, { forceRefresh, minTtl, now: this.#clock() })
  }

  async logout(): Promise<void> {
    await this.#refreshes.handed()
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
    this.#refreshes.stop(stoppedError())
    this.#actor?.stop()
    this.#change.resolve()
    await this.#work.settled()
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
