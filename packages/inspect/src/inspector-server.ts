import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { configError, KeywayError, KeywayErrorCodes } from '@keyway/core'
import { streamFeed } from './event-stream.js'
import type { InspectionFeed } from './inspection-feed.js'
import { PageAddress } from './page-address.js'
import type { PageAsset } from './page-assets.js'
import { sendAsset, sendNotFound } from './responses.js'

/** The page's server, listening. */
export interface InspectorServer {
  /** The page's address: `http://127.0.0.1:<port>/<token>/`. */
  readonly url: URL
  /** Ends the event streams, closes every connection and stops listening. */
  close(): Promise<void>
}

/** What the server serves, and whom it tells when a page connects. */
export interface InspectorServerSetup {
  readonly feed: InspectionFeed
  readonly assets: ReadonlyMap<string, PageAsset>
  /** The port to listen on; 0 for any free one. */
  readonly port: number
  /** Called each time a page opens the event stream. */
  readonly onPage: () => void
}

function listenError(error: unknown, port: number): KeywayError {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return new KeywayError(
      KeywayErrorCodes.portInUse,
      `The inspector's port ${port} on 127.0.0.1 is in use by another program: choose another, or 0 for any free one.`,
      { cause: error },
    )
  }
  return configError('The inspector could not listen on 127.0.0.1.', error)
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, port)))
    server.listen({ host: '127.0.0.1', port }, () =>
      resolve((server.address() as AddressInfo).port),
    )
  })
}

/**
 * Serves the page on 127.0.0.1 at a secret path: its files (GET or HEAD) and its event
 * stream (GET `events`); every other request is a 404. Neither the server nor any of its
 * connections keeps the process alive.
 */
export async function startInspectorServer(setup: InspectorServerSetup): Promise<InspectorServer> {
  const address = new PageAddress()
  const streams = new Set<() => void>()
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? ''
    const wanted = address.below(new URL(request.url ?? '/', 'http://127.0.0.1').pathname)
    if (wanted === 'events' && method === 'GET') {
      const end = streamFeed(setup.feed, response)
      streams.add(end)
      response.once('close', () => streams.delete(end))
      setup.onPage()
      return
    }
    const asset = wanted === undefined ? undefined : setup.assets.get(wanted)
    if (asset === undefined || (method !== 'GET' && method !== 'HEAD')) {
      sendNotFound(response)
      return
    }
    sendAsset(request, response, asset).catch(() => response.destroy())
  }
  const server = createServer(handle)
  server.on('connection', (socket) => socket.unref())
  const port = await listen(server, setup.port)
  server.unref()
  return {
    url: new URL(`http://127.0.0.1:${port}${address.path}`),
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of streams) end()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
