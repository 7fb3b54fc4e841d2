import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'

/** How a run of a program ended. */
export interface ProgramResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** No program the tarball test runs needs longer; past this it is killed and the test fails. */
const PATIENCE_MS = 60_000

/**
 * A program installed in the consumer project, running as a child process: stderr is watched
 * as it arrives (`waitFor` resolves on the chunk that makes it match), stdin stays open until
 * `endInput`, and the process is killed if it runs past a minute.
 */
export class InstalledProgram {
  readonly #child: ChildProcessWithoutNullStreams
  #stdout = ''
  #stderr = ''
  readonly #waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = []
  /** Settles once the process has exited; waiters still pending are rejected then. */
  readonly done: Promise<ProgramResult>

  constructor(
    command: string,
    args: readonly string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
  ) {
    this.#child = spawn(command, args, options)
    this.#child.stdout.setEncoding('utf8')
    this.#child.stderr.setEncoding('utf8')
    this.#child.stdout.on('data', (chunk: string) => {
      this.#stdout += chunk
    })
    this.#child.stderr.on('data', (chunk: string) => {
      this.#stderr += chunk
      for (const waiter of [...this.#waiters]) {
        const match = waiter.pattern.exec(this.#stderr)
        if (match === null) continue
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    })
    const killer = setTimeout(() => this.#child.kill('SIGKILL'), PATIENCE_MS)
    this.done = new Promise((resolve, reject) => {
      this.#child.once('error', reject)
      this.#child.once('close', (code) => {
        clearTimeout(killer)
        resolve({ code, stdout: this.#stdout, stderr: this.#stderr })
      })
    })
  }

  /** Resolves with the first match of `pattern` in stderr; rejects if the program ends first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    const now = pattern.exec(this.#stderr)
    if (now !== null) return Promise.resolve(now)
    const ended = this.done.then(({ stderr }) => {
      throw new Error(`The program ended without printing ${pattern}. It printed:\n${stderr}`)
    })
    return Promise.race([
      new Promise<RegExpExecArray>((resolve) => this.#waiters.push({ pattern, resolve })),
      ended,
    ])
  }

  /** Types a line on stdin, as a person pasting and pressing Enter. */
  type(line: string): void {
    this.#child.stdin.write(`${line}\n`)
  }

  /** Closes stdin: the input ends. */
  endInput(): void {
    this.#child.stdin.end()
  }
}

/** Runs a program with no input; resolves once it has exited. */
export function runInstalled(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ProgramResult> {
  const program = new InstalledProgram(command, args, options)
  program.endInput()
  return program.done
}
