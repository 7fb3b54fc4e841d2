import { fileURLToPath } from 'node:url'

/** The repository's root folder: two levels above this file, in `src/` or in `dist/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
