import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type StoreKey, storeKeyId, type TokenSet, toStoredRecord } from '@keyway/core'
import { requireAll } from '@keyway/testing'
import { afterEach, beforeEach } from 'vitest'
import { serializeTokenFile } from '../../src/token-file.js'

/** An unprivileged uid (nobody): a user other than the one the tests run as. */
export const OTHER_UID = 65534

/**
 * Whether this process may hand a file to {@link OTHER_UID} (it runs as root, as here and in
 * CI). Otherwise the tests that need another user's file are skipped with a printed reason, or
 * fail with `KEYWAY_REQUIRE_ALL=1`.
 */
export function canChownToOtherUser(): boolean {
  if (process.platform !== 'win32' && process.getuid?.() === 0) return true
  const reason = 'only root can make a file of another user, so those cases cannot run here.'
  if (requireAll()) throw new Error(`KEYWAY_REQUIRE_ALL=1: ${reason}`)
  process.stderr.write(`skipped: ${reason}\n`)
  return false
}

/**
 * A private folder made before each test of the file and removed after it (call it at the top
 * of a test file); the getter names the current test's folder.
 */
export function folderPerTest(prefix: string): () => string {
  let dir = ''
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))
  return () => dir
}

/** The permission bits of `path` (and the sticky bit). */
export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o7777
}

/** The text of a token file holding `tokens` under `key`. */
export function tokenFileText(key: StoreKey, tokens: TokenSet): string {
  return serializeTokenFile({ [storeKeyId(key)]: toStoredRecord(tokens) })
}

/** The pid of a `node` process that has ended: a writer whose process is gone. */
export async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  return child.pid!
}

/** A `node` process that runs until `stop()`: a writer whose process is alive. */
export function runningProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000)'], {
    stdio: 'ignore',
  })
  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGKILL')
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit')
    },
  }
}

/** Makes a FIFO at `path` (there is no Node API for one). */
export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path])
}
