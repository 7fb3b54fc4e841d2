import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'

/** A TCP proxy in front of Redis that can lose the reply to one command. */
export interface ReplyDroppingProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string
  /**
   * Lets the next command whose bytes contain `marker` reach Redis, drops Redis's reply and
   * cuts the client's connection, as when a master dies after running a command; resolves
   * once Redis has answered (so the command ran). Later connections pass through.
   */
  dropReplyTo(marker: string): Promise<void>
  close(): Promise<void>
}

/** Starts a {@link ReplyDroppingProxy} on 127.0.0.1 in front of the Redis on `port`. */
export async function startReplyDroppingProxy(port: number): Promise<ReplyDroppingProxy> {
  let armed: { readonly marker: string; readonly dropped: () => void } | undefined
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1')
    let dropping = false
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (chunk: Buffer) => {
      const trap = armed
      if (trap !== undefined && chunk.includes(trap.marker)) {
        armed = undefined
        dropping = true
        upstream.once('data', () => {
          client.destroy()
          trap.dropped()
        })
      }
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (!dropping) client.write(chunk)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no proxy port')
  return {
    url: `redis://127.0.0.1:${address.port}`,
    dropReplyTo: (marker) =>
      new Promise<void>((dropped) => {
        armed = { marker, dropped }
      }),
    async close() {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close')
    },
  }
}
