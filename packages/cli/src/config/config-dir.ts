import { join } from 'node:path'
import envPaths from 'env-paths'

/** The file of profiles, inside the config folder. */
export const CONFIG_FILE_NAME = 'config.json'

/** The token file of `--store file`, inside the config folder. */
export const TOKEN_FILE_NAME = 'tokens.json'

/**
 * The folder where `keyway` keeps its profiles (and, with `--store file`, its tokens):
 * `KEYWAY_CONFIG_DIR` when set, else the user's config folder for `keyway` as env-paths names
 * it (`~/.config/keyway` on Linux, `~/Library/Preferences/keyway` on macOS,
 * `%APPDATA%\keyway\Config` on Windows).
 */
export function configDirectory(env: Readonly<Record<string, string | undefined>>): string {
  const chosen = env.KEYWAY_CONFIG_DIR
  if (chosen !== undefined && chosen.trim() !== '') return chosen
  return envPaths('keyway', { suffix: '' }).config
}

/** The path of the profiles file in `dir`. */
export function configFilePath(dir: string): string {
  return join(dir, CONFIG_FILE_NAME)
}
