import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The built command, run as `node dist/bin.js` the way npm's shim runs it. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url))

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

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm build first.`)
    this.#child = spawn(process.execPath, [BIN, ...args], { env })
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.#stdout += chunk.toString('utf8')
    })
    this.#child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString('utf8')
      for (const waiter of [...this.#waiters]) {
        const match = waiter.pattern.exec(this.#stderr)
        if (match === null) continue
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    })
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

  get stderr(): string {
    return this.#stderr
  }
}
