import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { KeywayContext } from '../machine/types.js'
import type { TokenSet } from '../tokens.js'
import { RefreshHeadStart } from './head-start.js'
import { RefreshOutcome, refreshEnding } from './refresh-outcome.js'
import type { KeywayState } from './types.js'

/**
 * The refresh under way, as the callers waiting for it see it: one shared outcome, begun when
 * a caller's need starts a refresh ahead of the machine or when the machine shows
 * `refreshing`, and settled by the hand-over of the saved tokens or when the machine leaves
 * `refreshing`.
 */
export class RefreshWaiters {
  #current: RefreshOutcome | undefined
  readonly #ahead = new RefreshHeadStart()

  /** The refresh under way, if any. */
  get current(): RefreshOutcome | undefined {
    return this.#current
  }

  /** True while a refresh started ahead waits for the machine to adopt it. */
  get waitingForMachine(): boolean {
    return this.#ahead.waiting
  }

  /** Settles once a refresh started ahead has been handed to the machine (at once if none). */
  handed(): Promise<void> {
    return this.#ahead.handed()
  }

  /** For the machine's refresh actor: the work started ahead, which `signal` now stops. */
  adopt(signal: AbortSignal): Promise<TokenSet> | undefined {
    return this.#ahead.adopt(signal)
  }

  /**
   * Starts `run` ahead of the machine, which `tell` then tells; the callers wait on it from
   * now. When the machine had moved on and does not adopt it, it is aborted, its waiters get
   * `aborted`, and `orphaned` is called.
   */
  startAhead(
    run: (signal: AbortSignal) => Promise<TokenSet>,
    hooks: { readonly tell: () => void; readonly orphaned: () => void },
  ): void {
    const outcome = new RefreshOutcome()
    this.#current = outcome
    this.#ahead.start(run, {
      tell: hooks.tell,
      orphaned: () => {
        if (this.#current === outcome) this.#current = undefined
        outcome.reject(
          new KeywayError(
            KeywayErrorCodes.aborted,
            'The refresh was cut off by a login or logout.',
          ),
        )
        hooks.orphaned()
      },
    })
  }

  /** The machine shows `state`: a refresh begins to be waited on, or the one waited on ends. */
  machineShowed(state: KeywayState, context: KeywayContext): void {
    const current = this.#current
    if (state === 'refreshing') {
      this.#current ??= new RefreshOutcome()
      return
    }
    if (current === undefined) return
    this.#current = undefined
    const ending = refreshEnding(state, context)
    if ('tokens' in ending) current.resolve(ending.tokens)
    else current.reject(ending.error)
  }

  /** Hands saved tokens to the callers waiting for them; false when no one was waiting. */
  deliver(tokens: TokenSet): boolean {
    const current = this.#current
    if (current === undefined) return false
    this.#current = undefined
    current.resolve(tokens)
    return true
  }

  /** Cuts off the refresh under way and the work started ahead: the Keyway is stopping. */
  stop(error: KeywayError): void {
    this.#ahead.abort(error)
    this.#current?.reject(error)
    this.#current = undefined
  }
}
