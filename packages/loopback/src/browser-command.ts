import { spawn } from 'node:child_process'
import { delimiter } from 'node:path'

/**
 * Splits `$BROWSER` into commands to try in turn, each as its program and arguments: the
 * value lists commands separated by the path delimiter, and `%s` stands for the URL, which
 * is otherwise added as the last argument (the convention of Python's `webbrowser` and
 * `xdg-open`). No shell runs: the URL is one argument, whatever it contains.
 */
export function browserCommands(value: string, url: string): string[][] {
  return value
    .split(delimiter)
    .map((entry) => entry.trim().split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0)
    .map((words) =>
      words.some((word) => word.includes('%s'))
        ? words.map((word) => word.replaceAll('%s', url))
        : [...words, url],
    )
}

/** Starts a program detached from this process; rejects when it cannot be started. */
function start([program, ...args]: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? '', args, { detached: true, stdio: 'ignore' })
    child.once('error', reject)
    child.once('spawn', () => {
      child.off('error', reject)
      child.on('error', () => undefined)
      child.unref()
      resolve()
    })
  })
}

/**
 * Starts the first command of `$BROWSER` that can be started. Rejects with the last failure
 * when none can.
 */
export async function startBrowserCommand(value: string, url: string): Promise<void> {
  let failure: unknown = new Error('$BROWSER names no command')
  for (const command of browserCommands(value, url)) {
    try {
      return await start(command)
    } catch (error) {
      failure = error
    }
  }
  throw failure
}
