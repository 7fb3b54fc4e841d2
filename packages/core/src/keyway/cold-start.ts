import type { KeywayError } from '../errors.js'
import { type RestorePlan, restorePlan } from '../machine/restore-plan.js'
import { delayUntil, planRefresh } from '../machine/schedule.js'
import type { StoreKey, TokenStore } from '../ports/store.js'
import type { TokenSet } from '../tokens.js'

/** The store read made at start, as far as it has come. */
export type ColdRead =
  | { readonly status: 'pending' }
  | { readonly status: 'read'; readonly tokens: TokenSet | undefined }
  | { readonly status: 'failed' }

/** What a cold start tells its owner once the store has answered. */
export interface ColdStartHooks {
  /** The start-up read allows nothing without the machine (a refresh is due, the read failed). */
  readonly needsMachine: () => void
  /** The state the read allows, while the machine is not loaded. */
  readonly showState: (state: RestorePlan) => void
}

/**
 * The store read made at start, which answers before the machine is loaded, by the same
 * `restorePlan` the machine's restore guards use: a valid token is served at once (and the
 * machine starts when its refresh falls due), no grant or a dead one needs a login, and
 * anything else (a refresh due now, a failed read) starts the machine.
 */
export class ColdStart {
  /** The read itself; it may reject (the store is down). */
  readonly reading: Promise<TokenSet | undefined>
  #read: ColdRead = { status: 'pending' }
  #handOver: NodeJS.Timeout | undefined
  /** The machine took over (or the Keyway stopped): the read only records what it found. */
  #cancelled = false

  constructor(store: TokenStore, key: StoreKey, report: (error: KeywayError) => void) {
    this.reading = store.load(key, { report })
  }

  /** How far the read has come. */
  get read(): ColdRead {
    return this.#read
  }

  /** The tokens read, once read. */
  get tokens(): TokenSet | undefined {
    return this.#read.status === 'read' ? this.#read.tokens : undefined
  }

  /** Settles once the store has answered, however it did. */
  settled(): Promise<unknown> {
    return this.reading.catch(() => undefined)
  }

  /** What the read allows at `now`: a state, `restoring` before it is in, or `machine`. */
  plan(now: number): RestorePlan | 'restoring' | 'machine' {
    if (this.#read.status === 'pending') return 'restoring'
    if (this.#read.status === 'failed') return 'machine'
    const plan = restorePlan(this.#read.tokens, now)
    return plan === 'refreshing' ? 'machine' : plan
  }

  /**
   * Tells `hooks` what the read allows once it is in, and calls `handOver` when the refresh
   * of a token being served falls due (planned as the machine plans it).
   */
  watch(
    clock: { readonly now: () => number; readonly random: () => number; readonly margin: number },
    hooks: ColdStartHooks & { readonly handOver: () => void },
  ): void {
    const settle = (read: ColdRead) => {
      this.#read = read
      if (this.#cancelled) return
      const now = clock.now()
      const plan = this.plan(now)
      if (plan === 'machine' || plan === 'restoring') return hooks.needsMachine()
      hooks.showState(plan)
      const at = planRefresh(this.tokens, { now, margin: clock.margin, random: clock.random() })
      if (at === undefined) return
      this.#handOver = setTimeout(hooks.handOver, delayUntil(at, now))
      this.#handOver.unref()
    }
    this.reading.then(
      (tokens) => settle({ status: 'read', tokens }),
      () => settle({ status: 'failed' }),
    )
  }

  /** Cancels the planned hand-over: the machine has started, or the Keyway stopped. */
  cancel(): void {
    this.#cancelled = true
    clearTimeout(this.#handOver)
  }
}
