import { abortError } from '../errors.js'
import { nextTurn } from '../machine/next-turn.js'
import type { TokenSet } from '../tokens.js'
import { type DeferredResult, deferred } from './waiting.js'

/** What a {@link RefreshHeadStart} tells its owner. */
export interface HeadStartHooks {
  /** Tells the machine to refresh; its refresh actor then adopts the work under way. */
  readonly tell: () => void
  /** The machine did not adopt the work (it had moved on): the work has been aborted. */
  readonly orphaned: () => void
}

interface Pending {
  readonly work: Promise<TokenSet>
  readonly controller: AbortController
}

/**
 * A refresh that a caller's need starts before the machine hears of it: the request goes out
 * first, and the machine's move to `refreshing` (its bookkeeping) happens while the provider
 * answers. The machine is told on the event loop's next turn, or as soon as the work settles;
 * its refresh actor then adopts the work, which from then on stops with the actor. Work the
 * machine does not adopt (it had moved on to a login or a logout) is aborted before it can
 * save anything.
 */
export class RefreshHeadStart {
  #pending: Pending | undefined
  #handed: DeferredResult<void> | undefined

  /** True while started work waits for the machine to adopt it. */
  get waiting(): boolean {
    return this.#pending !== undefined
  }

  /** Starts `run` with a signal of its own, and tells the machine soon after. */
  start(run: (signal: AbortSignal) => Promise<TokenSet>, hooks: HeadStartHooks): void {
    const controller = new AbortController()
    const pending: Pending = { work: run(controller.signal), controller }
    const handed = deferred()
    this.#pending = pending
    this.#handed = handed
    let told = false
    const hand = () => {
      if (told) return
      told = true
      // A refresh the machine started on its own timer meanwhile may have adopted the work
      // already: telling it again would start one more.
      if (this.#pending === pending) hooks.tell()
      if (this.#pending === pending) {
        this.#pending = undefined
        controller.abort(abortError(undefined, 'The refresh'))
        hooks.orphaned()
      }
      if (this.#handed === handed) this.#handed = undefined
      handed.resolve()
    }
    void nextTurn().then(hand)
    pending.work.then(hand, hand)
  }

  /**
   * The work under way, taken over by the machine's refresh actor: `signal` (the actor's)
   * aborts it from now on. Undefined when nothing was started ahead.
   */
  adopt(signal: AbortSignal): Promise<TokenSet> | undefined {
    const pending = this.#pending
    if (pending === undefined) return undefined
    this.#pending = undefined
    const { controller } = pending
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
    return pending.work
  }

  /** Settles once work started ahead has been handed to the machine (at once when none was). */
  handed(): Promise<void> {
    return this.#handed?.promise ?? Promise.resolve()
  }

  /** Aborts work not yet adopted (the Keyway is stopping). */
  abort(reason: unknown): void {
    this.#pending?.controller.abort(reason)
  }
}
