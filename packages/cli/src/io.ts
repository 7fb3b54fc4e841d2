import type { Readable, Writable } from 'node:stream'

/** A stream that may be a terminal, as `process.stdout` is. */
export type TerminalStream = Writable & { readonly isTTY?: boolean }

/**
 * What the `keyway` command reads and writes: the process's own streams and environment by
 * default, others in tests and in programs that embed the command.
 */
export interface CliIo {
  /** Where pasted answers are read from. */
  readonly stdin: Readable & { readonly isTTY?: boolean }
  /** The command's result only: the token, `--json` output, a report. */
  readonly stdout: TerminalStream
  /** Everything for the person: prompts, progress, notes, errors, traces. */
  readonly stderr: TerminalStream
  /** The environment variables (`KEYWAY_*`, `NO_COLOR`, …). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Aborted when the person interrupts (Ctrl-C): the command stops and exits with 2. */
  readonly signal?: AbortSignal
}

/**
 * The current process's streams and environment, and `signal` when given. `stdin` is made on
 * first use: Node builds `process.stdin` when it is first read (about 1 ms), and most runs,
 * `keyway token` among them, never read it.
 */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    get stdin() {
      return process.stdin
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    ...(signal === undefined ? {} : { signal }),
  }
}
