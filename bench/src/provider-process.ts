import { startDevProvider } from '@keyway/testing'

/**
 * The dev provider in a process of its own, as a real provider is: its work does not share
 * the event loop of the code being measured. Prints its issuer as one JSON line, and stops
 * when its standard input closes.
 */
const dev = await startDevProvider()
process.stdout.write(`${JSON.stringify({ issuer: dev.issuer })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void dev.close().then(() => process.exit(0))
})
