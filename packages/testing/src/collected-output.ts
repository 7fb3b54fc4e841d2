/**
 * An output stream stand-in that keeps what a program wrote to it, for tests that read the
 * lines a transport or a server printed (`write` is all a Keyway output needs).
 */
export class CollectedOutput {
  #text = ''
  readonly #waiters = new Set<() => void>()

  write(text: string): true {
    this.#text += text
    for (const wake of this.#waiters) wake()
    return true
  }

  /** Everything written so far. */
  get text(): string {
    return this.#text
  }

  /** The complete lines written so far. */
  get lines(): string[] {
    return this.#text.split('\n').slice(0, -1)
  }

  /** Resolves with the first complete line that satisfies `matches`. */
  line(matches: (line: string) => boolean): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.lines.find(matches)
        if (found === undefined) return
        this.#waiters.delete(check)
        resolve(found)
      }
      this.#waiters.add(check)
      check()
    })
  }

  /** The lines that are a URL and nothing else, in the order they were printed. */
  get urlLines(): string[] {
    return this.lines.filter((line) => /^https?:\/\/\S+$/.test(line))
  }
}
