import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type TLSSocket } from 'node:tls'
import { makeSelfSignedCertificate } from '@keyway/testing'

/** An https:// address in front of a plain HTTP server, with a certificate made for it. */
export interface TlsFront {
  /** e.g. `https://127.0.0.1:41234` */
  readonly origin: string
  /** The self-signed certificate, PEM, for `NODE_EXTRA_CA_CERTS`. */
  readonly certificatePath: string
  close(): Promise<void>
}

/**
 * Serves TLS on a 127.0.0.1 port and passes the decrypted bytes to `port` (the dev provider),
 * so a client reaches it over https://. The certificate, for 127.0.0.1 and a day, is made with
 * `openssl` (at `openssl`).
 */
export async function startTlsFront(port: number, openssl: string): Promise<TlsFront> {
  const folder = mkdtempSync(join(tmpdir(), 'keyway-tls-'))
  const { key, cert, certPath: certificatePath } = await makeSelfSignedCertificate(openssl, folder)
  const sockets = new Set<TLSSocket>()
  const server = createServer({ key, cert }, (client) => {
    sockets.add(client)
    const upstream = connect(port, '127.0.0.1')
    client.pipe(upstream).pipe(client)
    const end = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port: tlsPort } = server.address() as AddressInfo
  return {
    origin: `https://127.0.0.1:${tlsPort}`,
    certificatePath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => {
          rmSync(folder, { recursive: true, force: true })
          resolve()
        })
      }),
  }
}
