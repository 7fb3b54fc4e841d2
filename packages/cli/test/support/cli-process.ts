import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { shellWord } from '../../src/ui/shell.js'

/** The built command, run as `node dist/bin.cjs` the way npm's shim runs it. */
export const BIN = fileURLToPath(new URL('../../dist/bin.cjs', import.meta.url))

/** How a run of the command ended. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * One `keyway` child process: its output is collected as it comes, `waitFor` resolves on the
 * chunk that makes stderr match (no polling), and stdin stays open until closed.
 */
export class CliProcess {
  readonly #child: ChildProcessWithoutNullStreams
  #stdout = ''
  #stderr = ''
  #closed = false
  readonly #waiters: {
    pattern: RegExp
    resolve: (match: RegExpExecArray) => void
    reject: (error: Error) => void
  }[] = []
  /** Settles when the process has exited and its streams are drained. */
  readonly done: Promise<CliResult>

  /**
   * @param terminal - the `script` program: run the command in a pseudo-terminal it makes,
   *   so that the command sees a TTY on every stream.
   */
  constructor(args: readonly string[], env: NodeJS.ProcessEnv, terminal?: string) {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm build first.`)
    const command = [process.execPath, BIN, ...args]
    this.#child =
      terminal === undefined
        ? spawn(command[0]!, command.slice(1), { env })
        : spawn(terminal, ['-qfec', command.map(shellWord).join(' '), '/dev/null'], { env })
    // In a pseudo-terminal both streams arrive on `script`'s stdout, as on a screen.
    const seen = terminal === undefined ? this.#child.stderr : this.#child.stdout
    // Decoded by the streams, so a character split across two chunks (the QR code's ▀▄█
    // take three bytes each) arrives whole.
    this.#child.stdout.setEncoding('utf8')
    this.#child.stderr.setEncoding('utf8')
    this.#child.stdout.on('data', (chunk: string) => {
      this.#stdout += chunk
    })
    seen.on('data', (chunk: string) => this.#see(chunk))
    this.done = new Promise((resolve, reject) => {
      this.#child.once('error', reject)
      this.#child.once('close', (code) => {
        this.#closed = true
        for (const waiter of this.#waiters.splice(0)) {
          waiter.reject(
            new Error(
              `keyway ended without printing ${waiter.pattern}. It printed:\n${this.#stderr}`,
            ),
          )
        }
        resolve({ code, stdout: this.#stdout, stderr: this.#stderr })
      })
    })
  }

  #see(text: string): void {
    this.#stderr += text
    for (const waiter of [...this.#waiters]) {
      const match = waiter.pattern.exec(this.#stderr)
      if (match === null) continue
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
      waiter.resolve(match)
    }
  }

  /** Resolves with the first match of `pattern` in stderr; fails if the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    const now = pattern.exec(this.#stderr)
    if (now !== null) return Promise.resolve(now)
    if (this.#closed) return Promise.reject(new Error(`keyway ended without printing ${pattern}.`))
    return new Promise((resolve, reject) => this.#waiters.push({ pattern, resolve, reject }))
  }

  /** Types a line on stdin, as a person pasting and pressing Enter. */
  type(line: string): void {
    this.#child.stdin.write(`${line}\n`)
  }

  /** Closes stdin: the input ends. */
  endInput(): void {
    this.#child.stdin.end()
  }

  /** Sends a signal, as Ctrl-C (`SIGINT`) does. */
  signal(name: NodeJS.Signals): void {
    this.#child.kill(name)
  }

  /** What the person has seen so far: stderr, or the whole screen in a pseudo-terminal. */
  get stderr(): string {
    return this.#stderr
  }
}
