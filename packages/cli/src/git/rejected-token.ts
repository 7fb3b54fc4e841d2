import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * What git's `erase` leaves behind: the digest (SHA-256, never the token) of an access token
 * a server rejected, one file per profile in the config folder. The next `get` that finds
 * the profile's token is that one refreshes once instead of serving it again; a refreshed
 * token has another digest, so it is served until a server rejects it in turn. One refresh
 * per rejection: never a loop.
 */
const FOLDER = 'git-rejected'

// Node's crypto is loaded on first use: `keyway token` and `kubectl-credential` never hash, and
// loading it at start would cost each of their runs about 2.5 ms.
const digest = (text: string) =>
  process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex')

const markerPath = (configDir: string, profile: string) =>
  join(configDir, FOLDER, digest(profile).slice(0, 32))

/** Notes that a server rejected `token`, the profile's access token. */
export async function markRejected(configDir: string, profile: string, token: string) {
  const path = markerPath(configDir, profile)
  await mkdir(join(configDir, FOLDER), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')}.tmp`
  await writeFile(temporary, digest(token), { mode: 0o600, flag: 'wx' })
  await rename(temporary, path)
}

/** True when a server rejected `token` (see {@link markRejected}) and nothing refreshed since. */
export async function isRejected(configDir: string, profile: string, token: string) {
  try {
    return (await readFile(markerPath(configDir, profile), 'utf8')) === digest(token)
  } catch {
    return false
  }
}

/** Forgets the rejection, once the token has been refreshed. */
export async function clearRejected(configDir: string, profile: string) {
  await rm(markerPath(configDir, profile), { force: true })
}

/** True when `password`, as git sends it back to `erase`, is `token`. */
export function isSameToken(password: string | undefined, token: string): boolean {
  return password !== undefined && digest(password) === digest(token)
}
