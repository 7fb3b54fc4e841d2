import type { InspectorMessage } from '../../src/shared/messages.js'

/**
 * Reads the inspector's live stream as a page would, keeping every byte it was sent (for
 * scanning) and the messages parsed from it.
 */
export class StreamReader {
  #text = ''
  readonly #waiters = new Set<() => void>()
  /**
   * Resolves when the stream ends: the server closed it (`'closed'`), or the connection
   * broke off, as when the server's process ends (`'broken'`).
   */
  readonly ended: Promise<'closed' | 'broken'>
  readonly #abort = new AbortController()

  constructor(url: URL) {
    this.ended = this.#read(url)
  }

  async #read(url: URL): Promise<'closed' | 'broken'> {
    const response = await fetch(url, { signal: this.#abort.signal })
    if (!response.ok || response.body === null)
      throw new Error(`The stream answered ${response.status}.`)
    const decoder = new TextDecoder()
    try {
      for await (const chunk of response.body) {
        this.#text += decoder.decode(chunk, { stream: true })
        for (const wake of this.#waiters) wake()
      }
      return 'closed'
    } catch {
      return 'broken'
    }
  }

  /** Everything the stream carried so far. */
  get text(): string {
    return this.#text
  }

  /** The messages it carried so far. */
  get messages(): InspectorMessage[] {
    return this.#text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)) as InspectorMessage)
  }

  /** Resolves once the messages so far satisfy `done`. */
  until(done: (messages: InspectorMessage[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done(this.messages)) return
        this.#waiters.delete(check)
        resolve()
      }
      this.#waiters.add(check)
      check()
    })
  }

  /** Stops reading. */
  stop(): void {
    this.#abort.abort()
  }
}

/** The top states the steps went through, with repeats in a row left out. */
export function topStates(messages: readonly InspectorMessage[]): string[] {
  return messages
    .flatMap((message) => (message.kind === 'step' ? [message.active[0] ?? message.status] : []))
    .filter((state, index, all) => state !== all[index - 1])
}
