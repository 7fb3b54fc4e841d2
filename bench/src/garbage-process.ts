import { setTimeout } from 'node:timers/promises'
import {
  garbageRequests,
  type LingeringSocket,
  lingeringShapes,
  lingeringSocket,
  rawExchange,
} from '@keyway/testing/hostile-clients'

/**
 * Garbage load on a loopback receiver, in a process of its own so that its work never shares
 * the event loop of the receiver being measured. Arguments: the receiver's port, the garbage
 * requests to send per second, how many connections may send at once, and how many idle or
 * slow-loris sockets to hold. Prints `{"ready": true}` once those sockets are open and the
 * garbage flows, sends the garbage catalogue round after round at that rate (or as fast as
 * it is answered, when that is slower) until its standard input closes, then prints
 * `{"sent": n, "seconds": s}` and exits.
 */
const [port = 0, rate = 1, senders = 1, lingering = 0] = process.argv.slice(2).map(Number)
const host = `127.0.0.1:${port}`
const requests = garbageRequests(host)
const shapes = lingeringShapes(host)
let stopping = false
let sent = 0

const held: LingeringSocket[] = []
for (let index = 0; index < lingering; index++) {
  held.push(await lingeringSocket(port, shapes[index % shapes.length], 50))
}

const start = performance.now()
/** When the next garbage request is due, shared by the senders to keep to the rate. */
let due = start

async function sender(offset: number): Promise<void> {
  for (let next = offset; !stopping; next += senders) {
    const wait = due - performance.now()
    due = Math.max(due, performance.now() - 1_000 / rate) + 1_000 / rate
    if (wait > 0) await setTimeout(wait)
    await rawExchange(port, requests[next % requests.length]!).catch(() => undefined)
    sent++
  }
}

const sending = Promise.all(Array.from({ length: senders }, (_, offset) => sender(offset)))
process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  stopping = true
  const seconds = (performance.now() - start) / 1000
  for (const { socket } of held) socket.destroy()
  void sending.then(() => {
    process.stdout.write(`${JSON.stringify({ sent, seconds })}\n`)
    process.exit(0)
  })
})
