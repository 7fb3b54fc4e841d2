import { type RunningProgram, startProgram } from './child-program.js'
import { freeLoopbackPort } from './free-port.js'

const READY = 'Ready to accept connections'
const PORT_TAKEN = 'Address already in use'

/**
 * Starts a Redis program (a server, a cluster node, a sentinel) with `args` and resolves once
 * it printed `readyLine`; resolves undefined when its port was taken meanwhile.
 */
export async function launchRedis(
  program: string,
  args: readonly string[],
  readyLine: string = READY,
): Promise<RunningProgram | undefined> {
  const running = await startProgram(program, args, {
    ready: (output) => output.includes(readyLine) || output.includes(PORT_TAKEN),
  })
  if (running.output().includes(readyLine)) return running
  await running.stop()
  return undefined
}

/**
 * {@link launchRedis} on a free loopback port, `argsFor(port)` giving its arguments; another
 * program may take the port between the check and the start, so it tries a few ports.
 */
export async function launchRedisOnFreePort(
  program: string,
  argsFor: (port: number) => readonly string[],
  readyLine: string = READY,
): Promise<{ readonly port: number; readonly running: RunningProgram }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeLoopbackPort()
    const running = await launchRedis(program, argsFor(port), readyLine)
    if (running !== undefined) return { port, running }
  }
  throw new Error(`${program} found no free port`)
}

/** The arguments every Redis process the tests start shares: loopback only, in `dir`. */
export function baseRedisArgs(port: number, dir: string): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '']
}
