import { connect, type Socket } from 'node:net'

/** What the receiver wrote back on one raw connection before it closed it. */
export interface RawAnswer {
  /** The status of the first response, or undefined when nothing came back. */
  readonly status: number | undefined
  /** The first response's header lines, without the status line and the `Date` header. */
  readonly headers: readonly string[]
  /** The first response's body (a chunked one decoded). */
  readonly body: string
}

/** How long one raw exchange may take before the test reports it as unanswered. */
const EXCHANGE_LIMIT_MS = 10_000

/** The data of a chunked body (enough for the short answers Node's HTTP layer sends). */
function unchunk(body: string): string {
  let data = ''
  let rest = body
  for (;;) {
    const lineEnd = rest.indexOf('\r\n')
    const size = lineEnd === -1 ? 0 : Number.parseInt(rest.slice(0, lineEnd), 16)
    if (!(size > 0)) return data
    data += rest.slice(lineEnd + 2, lineEnd + 2 + size)
    rest = rest.slice(lineEnd + 4 + size)
  }
}

function parseAnswer(text: string): RawAnswer {
  const split = text.indexOf('\r\n\r\n')
  const head = split === -1 ? text : text.slice(0, split)
  const [statusLine = '', ...lines] = head.split('\r\n')
  const status = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1]
  const body = split === -1 ? '' : text.slice(split + 4)
  const chunked = lines.some((line) => /^transfer-encoding: chunked$/i.test(line))
  return {
    status: status === undefined ? undefined : Number(status),
    headers: lines.filter((line) => !/^date:/i.test(line)),
    body: chunked ? unchunk(body) : body,
  }
}

/**
 * Sends `bytes` as they are on a connection of their own (no client library stands between:
 * malformed request lines, headers and framing reach the receiver unchanged; a string is sent
 * as Latin-1, one byte per character), ends the sending side, and resolves with what came
 * back once the receiver closed the connection. Rejects when it is still open after 10 s: a
 * request the receiver neither answered nor dropped.
 */
export function rawExchange(port: number, bytes: string | Uint8Array): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => {
      socket.end(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)
    })
    const limit = setTimeout(() => {
      socket.destroy()
      reject(new Error(`The receiver neither answered nor closed within ${EXCHANGE_LIMIT_MS} ms.`))
    }, EXCHANGE_LIMIT_MS)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    // A reset after the answer (the receiver closing with unread bytes) is still an answer.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(limit)
      resolve(parseAnswer(Buffer.concat(chunks).toString('latin1')))
    })
  })
}

/** An open connection that sends nothing, or a request a byte at a time, and never ends. */
export interface LingeringSocket {
  readonly socket: Socket
  /** Resolves when the receiver closed the connection. */
  readonly closed: Promise<void>
}

/**
 * Opens a connection that lingers: idle (`trickle` empty) or slow-loris, sending `trickle`
 * one byte every `everyMs` and never finishing it. Resolves once connected.
 */
export function lingeringSocket(
  port: number,
  trickle = '',
  everyMs = 100,
): Promise<LingeringSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let sent = 0
    const timer = setInterval(() => {
      if (sent < trickle.length && socket.writable) socket.write(trickle.charAt(sent++), 'latin1')
    }, everyMs)
    timer.unref()
    const closed = new Promise<void>((settle) =>
      socket.once('close', () => {
        clearInterval(timer)
        settle()
      }),
    )
    socket.once('error', (error) => reject(error))
    socket.once('connect', () => {
      socket.on('error', () => undefined)
      resolve({ socket, closed })
    })
  })
}

/**
 * What slow-loris sockets send to a receiver whose `Host` is `host`, one shape per socket in
 * turn: nothing at all, a callback's request line and `Host` with no end of headers, a header
 * that never ends, a POST announcing a large body, and the start of a hostile request line.
 */
export function lingeringShapes(host: string): readonly string[] {
  return [
    '',
    `GET /callback?code=slow&state=slow HTTP/1.1\r\nHost: ${host}\r\n`,
    `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Slow: ${'s'.repeat(200)}`,
    `POST /callback HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100000\r\n`,
    'GET /\\[',
  ]
}
