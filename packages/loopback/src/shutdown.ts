import type { Server } from 'node:http'

/**
 * Stops the servers from accepting connections and resolves once each has closed. Idle
 * connections (a browser's preconnected sockets) are closed at once; a connection still
 * answering a request closes when its response ends, as every response says
 * `Connection: close`. {@link dropConnections} ends the ones that linger.
 */
export function closeServers(servers: readonly Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve()
          server.close(() => resolve())
          server.closeIdleConnections()
        }),
    ),
  ).then(() => undefined)
}

/** Destroys every connection the servers still hold, busy or not. */
export function dropConnections(servers: readonly Server[]): void {
  for (const server of servers) server.closeAllConnections()
}
