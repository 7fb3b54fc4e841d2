import type { InspectionEvent, Observer } from 'xstate'
import { DEFAULT_HISTORY, InspectionFeed } from './inspection-feed.js'
import { type InspectorServer, startInspectorServer } from './inspector-server.js'
import { pageAssets, pageIsBuilt } from './page-assets.js'

/** Somewhere to write lines for the person, as `process.stderr` is. */
export interface TextOutput {
  write(text: string): unknown
}

/** Options of {@link serveInspector}. */
export interface ServeInspectorOptions {
  /** Where the page's address is printed, alone on its own line. Default `process.stderr`. */
  readonly output?: TextOutput
  /** The port on 127.0.0.1. Default 0: a free one, chosen by the system. */
  readonly port?: number
  /** How many of the last steps a page that opens late is shown. Default 200. */
  readonly history?: number
}

/**
 * An xstate inspection observer that shows the machine it inspects on a local page. Pass it
 * as `createKeyway({ inspect })`; see {@link serveInspector}.
 */
export interface ServedInspector extends Observer<InspectionEvent> {
  /** Takes one inspection event (xstate calls it). */
  next(event: InspectionEvent): void
  /**
   * The page's address, once the server listens (it is printed then too). Rejects with
   * `port_in_use` or `config_error` when the server cannot listen; the inspector then
   * takes events and shows them nowhere.
   */
  readonly url: Promise<URL>
  /** Resolves when a page first opens its live stream: someone is watching. */
  pageOpened(): Promise<void>
  /** Stops the server: the page's stream ends, and every connection closes. */
  close(): Promise<void>
}

function say(output: TextOutput, text: string): void {
  try {
    output.write(`${text}\n`)
  } catch {
    // Nowhere left to tell the person: the app goes on all the same.
  }
}

/**
 * Serves a live statechart of the machine it inspects, offline: a page on 127.0.0.1, at a
 * free port and a secret path, that draws the machine from its own definition (its states,
 * nested states, and transitions with their events and guards), lights up the active
 * states, says the current state in words (`Now: authorized`) for screen readers, and lists
 * the last events with their timings as they happen.
 *
 * The server starts at once, not on the first event: its address is printed within
 * milliseconds, before anything the app does next prints (a login's address comes later),
 * and a page can be opened before the machine starts. It never keeps the process alive:
 * the server and its connections are unref'd. Everything the page loads comes from this
 * package; its policy forbids any other origin.
 *
 * What leaves the process is only the machine's definition, the state values, the events'
 * types, timings, and the context's JSON, in which Keyway seals every token, code and
 * verifier to a summary. An event's payload is never sent.
 *
 * The page shows the root actor: Keyway's machine when it is given to `createKeyway`, or the
 * app's own machine when Keyway's runs as its child.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { serveInspector } from '@keyway/inspect'
 * import { loopback } from '@keyway/loopback'
 *
 * const inspector = serveInspector() // prints http://127.0.0.1:<port>/<secret>/ on stderr
 * const kw = createKeyway({
 *   issuer: 'https://accounts.example.com',
 *   clientId: 'my-cli',
 *   transport: loopback(),
 *   inspect: inspector,
 * })
 * await kw.login()
 * ```
 */
export function serveInspector(options: ServeInspectorOptions = {}): ServedInspector {
  const output = options.output ?? process.stderr
  const feed = new InspectionFeed(options.history ?? DEFAULT_HISTORY)
  const assets = pageAssets()
  let opened: () => void = () => {}
  const pageOpen = new Promise<void>((resolve) => {
    opened = resolve
  })
  const server: Promise<InspectorServer> = startInspectorServer({
    feed,
    assets,
    port: options.port ?? 0,
    onPage: () => opened(),
  })
  const url = server.then((started) => started.url)
  url.then(
    (address) => {
      say(output, `The machine, live (a private address on this computer):\n${address.href}`)
      if (!pageIsBuilt(assets)) say(output, "The page's scripts are not built: run pnpm build.")
    },
    (error: Error) => say(output, `The inspector's page is not served: ${error.message}`),
  )
  return {
    next: (event) => feed.take(event),
    url,
    pageOpened: () => pageOpen,
    close: () => server.then((started) => started.close()).catch(() => undefined),
  }
}
