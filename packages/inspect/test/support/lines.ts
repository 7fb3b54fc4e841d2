/** An output that keeps what was written to it, for reading the lines a program printed. */
export class Lines {
  #text = ''
  readonly #waiters = new Set<() => void>()

  write(text: string): true {
    this.#text += text
    for (const wake of this.#waiters) wake()
    return true
  }

  /** The complete lines written so far. */
  get all(): string[] {
    return this.#text.split('\n').slice(0, -1)
  }

  /** Resolves with the first complete line that `matches`. */
  first(matches: (line: string) => boolean): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.all.find(matches)
        if (found === undefined) return
        this.#waiters.delete(check)
        resolve(found)
      }
      this.#waiters.add(check)
      check()
    })
  }
}

/** The lines that are a URL and nothing else, in the order they were printed. */
export function urlLines(lines: readonly string[]): string[] {
  return lines.filter((line) => /^https?:\/\/\S+$/.test(line))
}
