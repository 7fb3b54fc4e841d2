import { once } from 'node:events'
import { createServer, type Socket } from 'node:net'
import { freeLoopbackPort } from '@keyway/testing'

/**
 * What the fault server does with a request, by path: faults only a real socket shows.
 * - `reset`: resets the connection once the request has arrived, before any answer;
 * - `hang`: never answers;
 * - `reset-mid-body`: sends the headers and part of the body, then resets;
 * - `stall-mid-body`: sends the headers and part of the body, then nothing more;
 * - `slow-drip`: sends a small JSON body one byte every 40 ms (seconds in all);
 * - `huge-body`: streams a 50 MB JSON token response, chunked, as fast as it is read.
 */
export type SocketFault =
  | 'reset'
  | 'hang'
  | 'reset-mid-body'
  | 'stall-mid-body'
  | 'slow-drip'
  | 'huge-body'

/** The size of the `huge-body` answer: 50 MB. */
export const HUGE_BODY_BYTES = 50_000_000

/** A running fault server. */
export interface FaultServer {
  /** The URL that plays `fault`. */
  url(fault: SocketFault): string
  /** A loopback URL nothing listens on: connecting to it is refused. */
  readonly refusedUrl: string
  /** Requests received, by fault. */
  readonly requests: Record<SocketFault, number>
  /** Body bytes the socket took for the last `huge-body` answer, once its connection closed. */
  hugeBodySent(): Promise<number>
  close(): Promise<void>
}

const partialHead =
  'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"access_token":"'

/** Waits for a request's head; resolves with its path, or undefined if the socket closed. */
function requestPath(socket: Socket): Promise<string | undefined> {
  return new Promise((resolve) => {
    let head = ''
    socket.on('data', (chunk) => {
      if (head.includes('\r\n\r\n')) return
      head += String(chunk)
      if (head.includes('\r\n\r\n')) resolve(/^[A-Z]+ (\S+)/.exec(head)?.[1])
    })
    socket.once('close', () => resolve(undefined))
  })
}

/** Runs `step` every `ms` until it returns false or the socket closes. */
function every(socket: Socket, ms: number, step: () => boolean): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !step()) clearInterval(timer)
  }, ms)
  socket.once('close', () => clearInterval(timer))
}

/**
 * A loopback HTTP server that misbehaves at the socket level (see {@link SocketFault}), for
 * the faults an injected `fetch` cannot fake: a body that breaks, stalls, drips or never ends.
 * It counts the requests it receives and the bytes it manages to send.
 */
export async function startFaultServer(): Promise<FaultServer> {
  const requests: Record<SocketFault, number> = {
    reset: 0,
    hang: 0,
    'reset-mid-body': 0,
    'stall-mid-body': 0,
    'slow-drip': 0,
    'huge-body': 0,
  }
  let hugeBodySent = Promise.resolve(0)
  const sockets = new Set<Socket>()

  async function streamHugeBody(socket: Socket): Promise<void> {
    let sent = 0
    // Not `once()`: it rejects on the socket's error, and a reset is what this fault meets.
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    const drained = () => new Promise<void>((resolve) => socket.once('drain', () => resolve()))
    hugeBodySent = closed.then(() => sent)
    const chunk = Buffer.alloc(64 * 1024, 'a')
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n')
    socket.write('transfer-encoding: chunked\r\n\r\n')
    let left = HUGE_BODY_BYTES
    while (left > 0 && !socket.destroyed) {
      const part = left >= chunk.length ? chunk : chunk.subarray(0, left)
      left -= part.length
      const frame = Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part])
      const flowing = socket.write(frame, (error) => {
        if (error == null) sent += part.length
      })
      socket.write('\r\n')
      if (!flowing) await Promise.race([drained(), closed])
    }
    if (!socket.destroyed) socket.end('0\r\n\r\n')
  }

  async function play(socket: Socket): Promise<void> {
    const fault = (await requestPath(socket))?.slice(1) as SocketFault | undefined
    if (fault === undefined || !(fault in requests)) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n')
      return
    }
    requests[fault] += 1
    switch (fault) {
      case 'reset':
        socket.resetAndDestroy()
        return
      case 'hang':
        return
      case 'reset-mid-body':
        socket.write(partialHead)
        setTimeout(() => socket.resetAndDestroy(), 50)
        return
      case 'stall-mid-body':
        socket.write(partialHead)
        return
      case 'slow-drip': {
        const body = Buffer.from(JSON.stringify({ access_token: 'drip'.repeat(20) }))
        socket.write(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
        )
        let at = 0
        every(socket, 40, () => {
          socket.write(body.subarray(at, at + 1))
          at += 1
          return at < body.length
        })
        return
      }
      case 'huge-body':
        await streamHugeBody(socket)
        return
    }
  }

  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    void play(socket).catch(() => socket.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  const closedPort = await freeLoopbackPort()
  return {
    url: (fault) => `http://127.0.0.1:${address.port}/${fault}`,
    refusedUrl: `http://127.0.0.1:${closedPort}/token`,
    requests,
    hugeBodySent: () => hugeBodySent,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
