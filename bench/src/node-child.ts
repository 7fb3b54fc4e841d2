import { spawnSync } from 'node:child_process'
import { findExecutable } from '@keyway/testing'

/**
 * The environment of a measured `node` child: `PATH` and `extra`, nothing inherited. Above
 * all no `NODE_EXTRA_CA_CERTS` (which some machines set, and which makes every Node start
 * read and parse a certificate bundle, ~35 ms and ~2 MB) and no `NODE_OPTIONS`: both would
 * weigh on each side alike and flatten the ratio.
 */
export function cleanEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, ...extra }
}

/**
 * The wall time, in ms, of `node args…` run to its end (spawn to exit), its output
 * discarded; throws when it fails.
 */
export function wallTimeMs(
  args: readonly string[],
  env: NodeJS.ProcessEnv = cleanEnvironment(),
): number {
  const start = performance.now()
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`)
  return performance.now() - start
}

/** GNU time, which reports a child's peak RSS as the kernel counted it (Debian package `time`). */
export function findGnuTime(): string | undefined {
  return findExecutable('/usr/bin/time')
}

/**
 * The peak resident set size, in KiB, of `node args…` run to its end under GNU `time`
 * (`%M`: the `ru_maxrss` the kernel reports when the child is reaped). Nothing is loaded into
 * the measured process, so the figure is the program's own.
 */
export function peakRssKiB(
  time: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = cleanEnvironment(),
): number {
  const result = spawnSync(time, ['-f', '%M', process.execPath, ...args], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  }
  const kib = Number(result.stderr.trim().split('\n').at(-1))
  if (!Number.isInteger(kib) || kib <= 0) {
    throw new Error(`${time} reported no peak RSS: ${JSON.stringify(result.stderr)}`)
  }
  return kib
}
