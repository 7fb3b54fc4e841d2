import type { TextOutput } from '@keyway/loopback'

/** A {@link TextOutput} that keeps what the receiver wrote, line by line. */
export class CollectedOutput implements TextOutput {
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

  /** Resolves with the authorization URL once it is printed on a line of its own. */
  async authorizationUrl(): Promise<URL> {
    return new URL(await this.line((line) => /^https?:\/\/\S+$/.test(line)))
  }
}
