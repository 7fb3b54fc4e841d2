import { fileURLToPath } from 'node:url'
import {
  type DevProvider,
  type NodeScript,
  ScriptedBrowser,
  startDevProvider,
  startNodeScript,
} from '@keyway/testing'
import {
  garbageRequests,
  type LingeringSocket,
  lingeringShapes,
  lingeringSocket,
  type RawAnswer,
  rawExchange,
} from '@keyway/testing/hostile-clients'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { CollectedOutput } from './support/output.js'

/** The command-line program that logs in through the loopback receiver (the built packages). */
const loginChild = fileURLToPath(new URL('./fixtures/login-child.mjs', import.meta.url))
/** Garbage requests sent at once: enough to overlap, few enough for a 2-core machine. */
const CONCURRENCY = 16
/** Idle or slow-loris sockets held open on the receiver while the garbage flies. */
const LINGERING = 250
/** How many garbage requests the catalogue holds (the same for any port), for the test name. */
const GARBAGE = garbageRequests('127.0.0.1:1').length

let dev: DevProvider

beforeAll(async () => {
  dev = await startDevProvider()
})
afterAll(() => dev?.close())

/** Starts the login child and resolves with it and the authorization URL it printed. */
async function startChild(): Promise<{ script: NodeScript; authorizationUrl: URL }> {
  const script = startNodeScript(loginChild, {
    env: { KEYWAY_TEST_ISSUER: dev.issuer },
    stdin: 'ignore',
  })
  onTestFinished(() => {
    if (script.child.exitCode === null) script.child.kill()
  })
  const stderr = new CollectedOutput()
  script.child.stderr?.setEncoding('utf8').on('data', (text: string) => stderr.write(text))
  const exitedEarly = script.exited.then(({ code }): never => {
    throw new Error(`The login child exited (${code}) before printing the URL:\n${stderr.text}`)
  })
  return { script, authorizationUrl: await Promise.race([stderr.authorizationUrl(), exitedEarly]) }
}

/** Sends every request, `CONCURRENCY` at a time, and tallies the answers by status. */
async function throwGarbage(
  port: number,
  requests: readonly (string | Uint8Array)[],
): Promise<Map<string, number>> {
  const tally = new Map<string, number>()
  const count = (answer: RawAnswer) => {
    const status = String(answer.status ?? 'dropped')
    tally.set(status, (tally.get(status) ?? 0) + 1)
  }
  let next = 0
  const worker = async () => {
    while (next < requests.length) count(await rawExchange(port, requests[next++]!))
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return tally
}

describe('a login waiting on the loopback receiver, under attack from this machine', () => {
  it(`completes with one token request and exits by itself after ${GARBAGE} garbage requests and ${LINGERING} idle or slow-loris sockets`, async () => {
    dev.counters.reset()
    const { script, authorizationUrl } = await startChild()
    const redirectUri = new URL(authorizationUrl.searchParams.get('redirect_uri') ?? '')
    const port = Number(redirectUri.port)
    expect(redirectUri.hostname).toBe('127.0.0.1')

    const shapes = lingeringShapes(redirectUri.host)
    const lingering: LingeringSocket[] = []
    for (let index = 0; index < LINGERING; index++) {
      lingering.push(await lingeringSocket(port, shapes[index % shapes.length]))
    }
    onTestFinished(() => {
      for (const { socket } of lingering) socket.destroy()
    })
    const tally = await throwGarbage(port, garbageRequests(redirectUri.host))
    const answered = [...tally].map(([status, count]) => `${status}: ${count}`).join(', ')
    process.stdout.write(
      `thrown at the receiver: ${GARBAGE} garbage requests (${answered}) and ${LINGERING} lingering sockets\n`,
    )
    // The receiver's own 404 and 400, Node's HTTP layer's 100, 400, 413, 417 and 431, or a
    // connection dropped unanswered (a CONNECT, bytes that are no request): never a 5xx.
    const fixed = ['100', '400', '404', '413', '417', '431', 'dropped']
    expect([...tally.keys()].filter((status) => !fixed.includes(status))).toEqual([])
    expect(script.child.exitCode).toBeNull()
    expect(dev.counters.requests.token).toBe(0)

    const walk = await new ScriptedBrowser().authorize(authorizationUrl)
    expect(walk.landed?.body).toContain('You are signed in.')
    const exit = await script.exited
    expect(exit.code).toBe(0)
    expect(exit.stdout).toBe('signed in, with a refresh token\n')
    expect(exit.stderr).not.toContain('could not handle a request')
    expect(dev.counters.requests.token).toBe(1)
    expect(dev.counters.grants.authorization_code).toBe(1)
    // The child closed every connection it was holding, the slow ones included.
    await Promise.all(lingering.map(({ closed }) => closed))
  }, 120_000)
})
