import { configError } from '@keyway/core'
import { type HostPlan, type LoopbackHost, planHost } from './host.js'
import type { BrowserOpener, TextOutput } from './opener.js'
import type { LoopbackPages } from './pages.js'
import { type PortChoice, portCandidates } from './ports.js'
import { finalPagePaths } from './route.js'

/** The options of {@link loopback}. Times are milliseconds. */
export interface LoopbackOptions {
  /**
   * Where to listen: `127.0.0.1` (default), `[::1]`, or `localhost` (both families on one
   * port, or a `config_error` when the machine has no IPv6 loopback). The redirect URI
   * names the same host.
   */
  readonly host?: LoopbackHost
  /**
   * The port: 0 (default) lets the system pick a free one; a number is fixed (taken →
   * `port_in_use`); `{ from, to }` tries each port of the range in turn.
   */
  readonly port?: PortChoice
  /** The redirect URI's path. Default `/callback`; `/done` and `/error` are the receiver's own. */
  readonly path?: string
  /**
   * How to show the authorization URL besides printing it: `true` (default) opens the
   * system's browser (`$BROWSER` when set), `false` only prints, a function is the app's own
   * opener. Nothing here throws: a failure is reported and the printed URL remains.
   */
  readonly open?: boolean | BrowserOpener
  /** Where the URL and notes are written for the person. Default `process.stderr`. */
  readonly output?: TextOutput
  /**
   * Gives up waiting for the browser this long after the URL is shown, with `timeout`, and
   * frees the port. No limit by default (`login({ timeout })` limits the whole login).
   */
  readonly timeout?: number
  /** The app's own pages, in place of Keyway's. */
  readonly pages?: LoopbackPages
}

/** {@link LoopbackOptions} checked, with every default filled in. */
export interface ResolvedLoopbackOptions {
  readonly host: HostPlan
  readonly port: PortChoice
  readonly path: string
  readonly open: boolean | BrowserOpener
  readonly output: TextOutput
  readonly timeout: number | undefined
  readonly pages: LoopbackPages
}

const reservedPaths: ReadonlySet<string> = new Set(Object.values(finalPagePaths))

function checkPath(path: string): string {
  let normalized: string | undefined
  try {
    const url = new URL(path, 'http://127.0.0.1')
    normalized = url.search === '' && url.hash === '' ? url.pathname : undefined
  } catch {
    normalized = undefined
  }
  if (!path.startsWith('/') || path.startsWith('//') || normalized !== path) {
    throw configError(
      `loopback path must be a plain absolute path such as '/callback', not ${JSON.stringify(path)}.`,
    )
  }
  if (reservedPaths.has(path)) {
    throw configError(`loopback path cannot be ${path}: the receiver shows its final pages there.`)
  }
  return path
}

function checkTimeout(timeout: number | undefined): number | undefined {
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw configError('loopback timeout must be a positive number of milliseconds.')
  }
  return timeout
}

function checkOpen(open: unknown): boolean | BrowserOpener {
  if (typeof open === 'boolean' || typeof open === 'function') {
    return open as boolean | BrowserOpener
  }
  throw configError('loopback open must be true, false, or a function that opens the URL.')
}

/** Checks the options at once, so a mistake shows when the transport is made, not at login. */
export function resolveLoopbackOptions(options: LoopbackOptions): ResolvedLoopbackOptions {
  const port = options.port ?? 0
  portCandidates(port)
  return {
    host: planHost(options.host ?? '127.0.0.1'),
    port,
    path: checkPath(options.path ?? '/callback'),
    open: checkOpen(options.open ?? true),
    output: options.output ?? process.stderr,
    timeout: checkTimeout(options.timeout),
    pages: options.pages ?? {},
  }
}
