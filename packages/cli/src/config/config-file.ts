import { readFileSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { configError } from '@keyway/core'
import { parseProfile, type SavedProfile } from './profile.js'

/** The layout version of the config file; a file from a newer `keyway` is refused, not guessed at. */
export const CONFIG_VERSION = 1

/** The profiles file as read: its path, and the profiles it holds by name. */
export interface ConfigFile {
  readonly path: string
  /** False when there is no file yet. */
  readonly exists: boolean
  readonly profiles: Readonly<Record<string, unknown>>
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Reads the profiles file at `path`. A file that is not there is an empty one; a file that is
 * not JSON, or from a newer version, is a `config_error` naming it. Profiles are checked when
 * used ({@link profileIn}), so one broken profile does not block the others. Read
 * synchronously: a small local file, which every command reads first, and `keyway token`
 * with a stored token then starts no thread (see the file store's `checkTokenFolder`).
 */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { path, exists: false, profiles: {} }
    }
    throw configError(`The config file ${path} cannot be read.`, error)
  }
  let content: unknown
  try {
    content = JSON.parse(text)
  } catch (cause) {
    throw configError(`The config file ${path} is not valid JSON.`, cause)
  }
  if (!isObject(content) || content.version !== CONFIG_VERSION || !isObject(content.profiles)) {
    throw configError(
      `The config file ${path} is not a keyway config of version ${CONFIG_VERSION}.`,
    )
  }
  return { path, exists: true, profiles: content.profiles }
}

/** The profile called `name` in `file`, checked; undefined when there is none. */
export function profileIn(file: ConfigFile, name: string): SavedProfile | undefined {
  if (!Object.hasOwn(file.profiles, name)) return undefined
  return parseProfile(file.profiles[name], `Profile ${name} in ${file.path}`)
}

/**
 * Saves `profile` under `name` in the file at `path`, keeping the other profiles as they are.
 * The folder is made private (0700), the file is written private (0600) to a temporary name
 * and renamed over the old one, so a reader never sees half a file.
 */
export async function saveProfile(path: string, name: string, profile: SavedProfile) {
  const current = await readConfigFile(path)
  const content = { version: CONFIG_VERSION, profiles: { ...current.profiles, [name]: profile } }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  // node:crypto on need: keyway token reads this file on every run and never writes it.
  const random = process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex')
  const temporary = `${path}.${random}.tmp`
  try {
    await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw configError(`The config file ${path} cannot be written.`, error)
  }
}
