import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** How long to wait for a screen to show what a test expects before giving up. */
const PATIENCE = 20_000

/**
 * A private tmux server (its own socket in its own temporary folder), for running a program
 * in a real terminal: start it in a session, type into it, read the screen.
 */
export class Tmux {
  readonly #binary: string
  readonly #folder: string

  private constructor(binary: string, folder: string) {
    this.#binary = binary
    this.#folder = folder
  }

  /** A server that starts with the first session, on a socket no other tmux uses. */
  static async create(binary: string): Promise<Tmux> {
    return new Tmux(binary, await mkdtemp(join(tmpdir(), 'keyway-tmux-')))
  }

  async #tmux(...args: string[]): Promise<string> {
    const socket = join(this.#folder, 'socket')
    const { stdout } = await run(this.#binary, ['-S', socket, ...args])
    return stdout
  }

  /**
   * Runs `command` (a shell command line) in a new 200×50 session. The pane stays open after
   * the command ends, with `[exited with N]` as its last line.
   */
  async start(session: string, command: string): Promise<void> {
    const kept = `${command}; echo "[exited with $?]"; sleep 3600`
    await this.#tmux('new-session', '-d', '-x', '200', '-y', '50', '-s', session, kept)
  }

  /** The screen's text, lines that wrapped joined back together. */
  async screen(session: string): Promise<string> {
    return this.#tmux('capture-pane', '-p', '-J', '-t', session)
  }

  /** Types `text` as it is, as a paste does. */
  async type(session: string, text: string): Promise<void> {
    await this.#tmux('send-keys', '-t', session, '-l', text)
  }

  /** Presses keys by name: `Enter`, `C-d`. */
  async press(session: string, ...keys: string[]): Promise<void> {
    await this.#tmux('send-keys', '-t', session, ...keys)
  }

  /**
   * Reads the screen until `pattern` matches it. `redact` removes secrets (a pasted code)
   * from the screen shown when it never does.
   */
  async waitFor(
    session: string,
    pattern: RegExp,
    redact: (text: string) => string = (text) => text,
  ): Promise<RegExpExecArray> {
    const deadline = Date.now() + PATIENCE
    let text = ''
    while (Date.now() < deadline) {
      text = await this.screen(session)
      const match = pattern.exec(text)
      if (match) return match
      await sleep(25)
    }
    throw new Error(`The terminal never showed ${pattern}. It shows:\n${redact(text)}`)
  }

  /** Stops the server and every program in it, and removes its socket. */
  async kill(): Promise<void> {
    await this.#tmux('kill-server').catch(() => undefined)
    await rm(this.#folder, { recursive: true, force: true })
  }
}
