/**
 * The machine's steps under way, kept until they settle, so that `stop()` can wait until work
 * it cut short has let go of what it held (a store lock) before the app closes the store.
 */
export class WorkUnderWay {
  readonly #work = new Set<Promise<unknown>>()

  /** Keeps `work` until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#work.add(work)
    const forget = () => {
      this.#work.delete(work)
    }
    work.then(forget, forget)
    return work
  }

  /** Settles once every step kept so far has settled, however it ended. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#work)
  }
}
