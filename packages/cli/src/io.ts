import { writeSync } from 'node:fs'
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
 * The current process's streams and environment, and `signal` when given. Each stream is made
 * on first use: Node builds `process.stdin`, `process.stdout` and `process.stderr` when they
 * are first read (a socket on a pipe, about 1 ms each), and `keyway token` never reads stdin
 * nor, when it serves, writes to stderr.
 */
export function processIo(signal?: AbortSignal): CliIo {
  const io: CliIo = {
    get stdin() {
      return process.stdin
    },
    get stdout() {
      return process.stdout
    },
    get stderr() {
      return process.stderr
    },
    env: process.env,
    ...(signal === undefined ? {} : { signal }),
  }
  processIos.add(io)
  return io
}

/** The `CliIo`s {@link processIo} made: their stdout is this process's file descriptor 1. */
const processIos = new WeakSet<CliIo>()

/**
 * Writes the command's result, `text`, on `io.stdout`. On the process's own stdout (outside
 * Windows) it is written to file descriptor 1 directly, as `process.stdout` itself writes to
 * a file, a terminal or a pipe there (synchronously), without building `process.stdout` (a
 * socket and its streams on a pipe: about 2 ms of `keyway token`'s start); the rest goes
 * through `process.stdout` when the descriptor would block.
 */
export function writeResult(io: CliIo, text: string): void {
  if (!processIos.has(io) || process.platform === 'win32') {
    io.stdout.write(text)
    return
  }
  const bytes = Buffer.from(text)
  let written = 0
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
    io.stdout.write(bytes.subarray(written))
  }
}
