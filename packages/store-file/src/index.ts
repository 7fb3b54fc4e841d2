/**
 * A Keyway token store in a JSON file: private permissions, atomic writes, a schema version,
 * and a cross-process lock so that processes sharing a grant refresh it once.
 *
 * @packageDocumentation
 */
export { type FileStoreOptions, type FileTokenStore, fileStore } from './file-store.js'
export { TOKEN_FILE_VERSION } from './token-file.js'
export { DEFAULT_FILE_NAME, expandHome, resolveTokenPath } from './token-path.js'
