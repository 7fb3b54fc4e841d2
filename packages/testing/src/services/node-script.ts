import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'

/** How a {@link NodeScript} ended: its exit code and everything it printed. */
export interface NodeScriptExit {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** A built script running in a child `node`, with what it printed so far. */
export interface NodeScript {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves when the script exits by itself. */
  readonly exited: Promise<NodeScriptExit>
}

/**
 * Starts the built script at `path` in a child `node` with only the variables in `env` (and
 * `PATH`), so no setting of the machine running the tests leaks in. stdin is a pipe the test
 * writes to, or closed (`'ignore'`: not a terminal, as under CI).
 */
export function startNodeScript(
  path: string,
  options: { readonly env?: Record<string, string>; readonly stdin?: 'pipe' | 'ignore' } = {},
): NodeScript {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm build\` first.`)
  const child = spawn(process.execPath, [path], {
    env: { PATH: process.env.PATH, ...options.env },
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = once(child, 'exit').then(([code]) => ({
    code: code as number | null,
    stdout,
    stderr,
  }))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}
