import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { configError } from '@keyway/core'

/**
 * env-paths, loaded when a path is to be picked: it imports `node:process`, which makes Node
 * build the process's standard streams as a module (about 2 ms), and a store given its path
 * never needs it.
 */
function envPaths(): typeof import('env-paths').default {
  return (createRequire(import.meta.url)('env-paths') as typeof import('env-paths')).default
}

/** The file name used inside an app's config folder when no path is given. */
export const DEFAULT_FILE_NAME = 'tokens.json'

/** Expands a leading `~` (alone or followed by a separator) to the home folder. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2))
  return path
}

/**
 * The absolute path of the token file: `path` with `~` expanded, or, without one,
 * `tokens.json` in the app's config folder as env-paths names it per platform
 * (`~/.config/<app>` on Linux, `~/Library/Preferences/<app>` on macOS,
 * `%APPDATA%\<app>\Config` on Windows).
 */
export function resolveTokenPath(options: { readonly path?: string; readonly appName?: string }) {
  const { path, appName } = options
  if (path !== undefined) {
    if (typeof path !== 'string' || path.trim() === '') {
      throw configError('fileStore: path, when given, must be a non-empty string.')
    }
    const expanded = expandHome(path)
    return isAbsolute(expanded) ? expanded : resolve(expanded)
  }
  if (typeof appName !== 'string' || appName.trim() === '') {
    throw configError('fileStore needs a path or an appName (which picks the config folder).')
  }
  return join(envPaths()(appName, { suffix: '' }).config, DEFAULT_FILE_NAME)
}
