/**
 * Keyway's transport for machines without a browser: prints the authorization URL and reads
 * the redirect URL (or the code) the person pastes back.
 *
 * @packageDocumentation
 */
export { DEFAULT_REDIRECT_URI, type PasteOptions } from './options.js'
export { paste } from './paste.js'
