import { type BigIntStats, readdirSync } from 'node:fs'
import { lstat, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { renameOver, syncDir } from './private-file.js'
import { hostTag, parseTempName, type TempName } from './temp-name.js'
import { parseTokenFile } from './token-file.js'
import { currentUid, readOwnFile } from './trusted-path.js'

/** Whether process `pid` of this machine still runs (EPERM: it does, as another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A temp file of this machine whose writer is gone. */
const isAbandoned = (temp: TempName) => temp.host === hostTag() && !isProcessAlive(temp.pid)

async function lstatIfThere(path: string): Promise<BigIntStats | undefined> {
  try {
    return await lstat(path, { bigint: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

const isOwnRegularFile = (stats: BigIntStats, uid: number | undefined) =>
  stats.isFile() && (uid === undefined || stats.uid === BigInt(uid))

/**
 * Settles the temp files that writers of `path` left behind when their process ended
 * mid-write (killed, crashed): a complete one at least as new as the token file is renamed over
 * it, finishing that write; any other is deleted. Oldest first, so the newest complete record
 * wins. A temp file whose writer still runs, or ran on another machine, is left alone, and so
 * is any file not of the current user's own.
 *
 * Safe without the write lock: a writer settles these under the lock before it reads the token
 * file, and renaming a temp file consumes it, so each is settled once.
 */
export async function settleAbandonedTemps(path: string): Promise<void> {
  // Listed synchronously, as the token file is read (see `checkTokenFolder`): almost always
  // there is nothing to settle, and the read that follows need not wait on a thread.
  let names: string[]
  try {
    names = readdirSync(dirname(path))
  } catch {
    names = []
  }
  const abandoned = names
    .map((name) => parseTempName(basename(path), name))
    .filter((temp): temp is TempName => temp !== undefined && isAbandoned(temp))
  if (abandoned.length === 0) return
  const uid = currentUid()
  const target = await lstatIfThere(path)
  // A link or another user's file in the token file's place is refused by the read that
  // follows; finishing a write over it would hide that.
  if (target !== undefined && !isOwnRegularFile(target, uid)) return
  const temps: { readonly path: string; readonly stats: BigIntStats }[] = []
  for (const temp of abandoned) {
    const tempPath = join(dirname(path), temp.name)
    const stats = await lstatIfThere(tempPath)
    if (stats !== undefined && isOwnRegularFile(stats, uid)) temps.push({ path: tempPath, stats })
  }
  temps.sort((a, b) => (a.stats.mtimeNs < b.stats.mtimeNs ? -1 : 1))
  let newest = target?.mtimeNs ?? -1n
  let recovered = false
  for (const temp of temps) {
    const text = await readOwnFile(temp.path).catch(() => undefined)
    // A torn write does not parse: only a whole token file is a record worth finishing.
    const complete = text !== undefined && parseTokenFile(text)._tag === 'Right'
    if (complete && temp.stats.mtimeNs >= newest) {
      if (await renameUnlessGone(temp.path, path)) {
        newest = temp.stats.mtimeNs
        recovered = true
      }
    } else {
      await rm(temp.path, { force: true })
    }
  }
  if (recovered) await syncDir(dirname(path))
}

/** Renames `from` over `to`; false when another process settled `from` first. */
async function renameUnlessGone(from: string, to: string): Promise<boolean> {
  try {
    await renameOver(from, to)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
