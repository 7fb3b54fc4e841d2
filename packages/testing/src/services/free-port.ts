import { createServer } from 'node:net'

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a program that must be told its port
 * (redis-server takes no port 0). Another program could take it in between; launchers retry.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
