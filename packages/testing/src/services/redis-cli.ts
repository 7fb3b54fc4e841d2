import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Runs one `redis-cli` command against 127.0.0.1:`port` and returns its raw output, trimmed.
 * Bounded: a server that does not answer fails the call after `timeoutMs`.
 */
export async function redisCli(
  cli: string,
  port: number,
  args: readonly string[],
  timeoutMs = 5_000,
): Promise<string> {
  const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', String(port), '--raw', ...args], {
    timeout: timeoutMs,
  })
  return stdout.trim()
}

/** Polls `condition` every 50 ms until it holds; fails naming `what` after `limitMs`. */
export async function pollUntil(
  condition: () => Promise<boolean>,
  what: string,
  limitMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
