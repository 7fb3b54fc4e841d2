/**
 * The `keyway` command: log in to an OAuth 2.0 / OpenID Connect provider from a terminal
 * (browser, pasted address or device code), keep the tokens in the OS keychain, a file or
 * Redis, and hand fresh access tokens to scripts:
 *
 * ```sh
 * keyway login --issuer https://id.example.com --client-id my-cli
 * curl -H "Authorization: Bearer $(keyway token)" https://api.example.com/me
 * ```
 *
 * The package also exports {@link main}, to run the command from a program, and
 * {@link traceFetch}, the masking HTTP trace behind `--verbose`.
 *
 * @packageDocumentation
 */
export { configDirectory } from './config/config-dir.js'
export type { SavedProfile } from './config/profile.js'
export type { Source, Sourced } from './config/source.js'
export { ExitCode, exitCodeFor } from './exit-codes.js'
export type { CliIo, TerminalStream } from './io.js'
export { main } from './main.js'
export { MASK, maskJson, maskUrl } from './mask.js'
export { type TraceFetchOptions, traceFetch } from './trace/trace-fetch.js'
export { VERSION } from './version.js'
