import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'

/** A program a launcher started, with the output it printed so far (for error messages). */
export interface RunningProgram {
  readonly child: ChildProcess
  /** What the program wrote to stdout and stderr, in order. */
  output(): string
  /** Sends SIGTERM (or `signal`) and waits for the exit; harmless once it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/**
 * Starts `command` with piped output and a record of it, and resolves once `ready(output)` is
 * true. Rejects (after killing it) when it exits first or is not ready within `timeoutMs`.
 */
export async function startProgram(
  command: string,
  args: readonly string[],
  options: {
    readonly env?: NodeJS.ProcessEnv
    readonly stdin?: string
    readonly ready: (output: string) => boolean | Promise<boolean>
    readonly timeoutMs?: number
  },
): Promise<RunningProgram> {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  // A program that never reads its input (or exits at once) closes the pipe: EPIPE then
  // says nothing the readiness check and the exit status do not say better.
  child.stdin?.on('error', () => undefined)
  child.stdin?.end(options.stdin ?? '')
  const exited = once(child, 'exit').then(() => undefined)
  const program: RunningProgram = {
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  while (!(await options.ready(output))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await program.stop('SIGKILL')
      throw new Error(`${command} did not start:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return program
}
