import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { nodeCrypto } from './node-crypto.js'
import { tempPathFor } from './temp-name.js'
import { checkTokenFolder } from './trusted-path.js'

/** Folders Keyway creates are readable by their owner only. */
export const PRIVATE_DIR_MODE = 0o700
/** Files Keyway creates are readable by their owner only. */
export const PRIVATE_FILE_MODE = 0o600

/**
 * Creates the folder of `path` (and its parents) as 0700 when missing, and refuses it, new or
 * not, when others control it (see `checkTokenFolder`).
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE })
  await checkTokenFolder(dirname(path))
}

/** Renames, retrying briefly where Windows refuses while another process reads the target. */
export async function renameOver(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (attempt >= 5 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw error
      await sleep(20 * (attempt + 1))
    }
  }
}

/** Flushes the folder entry after a rename, where the platform allows (not on Windows). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined)
  await handle?.sync().catch(() => undefined)
  await handle?.close()
}

/**
 * Writes `text` to `path` so that readers see the old content or the new, never a mix: a 0600
 * temporary file beside it, flushed to disk, then renamed over it.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await ensurePrivateDir(path)
  const temp = tempPathFor(path)
  try {
    const handle = await open(temp, 'wx', PRIVATE_FILE_MODE)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await renameOver(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await syncDir(dirname(path))
}

/** Moves `path` aside to `<path>.corrupt-<time>-<random>` and returns the new name. */
export async function setFileAside(path: string): Promise<string> {
  const aside = asidePathFor(path)
  await renameOver(path, aside)
  return aside
}

/** A fresh name for data set aside from `path`. */
export function asidePathFor(path: string): string {
  return `${path}.corrupt-${Date.now()}-${nodeCrypto().randomBytes(3).toString('hex')}`
}

/** The prefix every name from {@link asidePathFor} starts with. */
export function asidePrefixFor(path: string): string {
  return `${basename(path)}.corrupt-`
}
