import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Finds an executable on `PATH` (or at an absolute path); undefined when there is none. */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name))
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** True when `KEYWAY_REQUIRE_ALL=1`: a test that would be skipped must fail instead. */
export function requireAll(): boolean {
  return process.env.KEYWAY_REQUIRE_ALL === '1'
}

/**
 * Decides whether tests that need a real program (Chromium, redis-server, gnome-keyring, tmux)
 * can run. When it is missing the tests are skipped with a printed reason, unless
 * `KEYWAY_REQUIRE_ALL=1`, where the missing program is an error.
 *
 * @returns the program's path, or undefined when the tests should be skipped.
 * @example
 * ```ts
 * const chromium = requireProgram('chromium', 'the browser tests', '/usr/bin/chromium')
 * describe.skipIf(!chromium)('in a real browser', () => { … })
 * ```
 */
export function requireProgram(
  name: string,
  purpose: string,
  ...paths: readonly string[]
): string | undefined {
  for (const candidate of [...paths, name]) {
    const found = findExecutable(candidate)
    if (found !== undefined) return found
  }
  const reason = `${name} is not installed, so ${purpose} cannot run (apt-get install ${name}).`
  if (requireAll()) throw new Error(`KEYWAY_REQUIRE_ALL=1: ${reason}`)
  process.stderr.write(`skipped: ${reason}\n`)
  return undefined
}
