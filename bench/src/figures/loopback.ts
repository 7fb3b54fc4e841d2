import { randomBytes } from 'node:crypto'
import { loopback } from '@keyway/loopback'
import { rawExchange } from '@keyway/testing/hostile-clients'
import { startGarbageLoad } from '../garbage-load.js'
import { median } from '../stats.js'

/** What {@link measureLoopback} found: callbacks the receiver answered per second (medians). */
export interface LoopbackFigures {
  /** Each round's callbacks per second under load over the quiet ones just before: the median. */
  readonly ratio: number
  /** With nothing else reaching the receiver. */
  readonly quiet: number
  /** While another process throws garbage and holds slow-loris sockets at it. */
  readonly underLoad: number
  /** The garbage requests sent per second meanwhile. */
  readonly garbage: number
}

/** Connections sending garbage at once, and idle or slow-loris sockets held, during a round. */
const GARBAGE_SENDERS = 4
const LINGERING_SOCKETS = 200

/**
 * Callbacks per second that one waiting loopback receiver answers, quiet and under garbage
 * load, in alternating rounds after one quiet round that warms it up; each round's two sides
 * are taken back to back, so the machine's own drift moves both. Each callback is a
 * raw-socket `GET` on the callback path with a code and a `state` that is not this login's:
 * routed, judged and answered 400, the whole path of a real answer short of the exchange, so
 * the login keeps waiting and every round meets the same receiver.
 */
export async function measureLoopback(rounds: number, callbacks: number): Promise<LoopbackFigures> {
  const controller = new AbortController()
  const session = await loopback({ open: false, output: { write: () => true } }).open({
    signal: controller.signal,
  })
  session
    .receive({
      url: new URL('http://127.0.0.1:9/authorize'),
      state: randomBytes(32).toString('base64url'),
      issuer: 'http://127.0.0.1:9',
      issRequired: false,
      signal: controller.signal,
    })
    .catch(() => undefined)
  const { host, port } = new URL(session.redirectUri)
  const callback = `GET /callback?code=bench&state=not-this-login HTTP/1.1\r\nHost: ${host}\r\n\r\n`
  const perSecond = async (): Promise<number> => {
    const start = performance.now()
    for (let sent = 0; sent < callbacks; sent++) {
      const answer = await rawExchange(Number(port), callback)
      if (answer.status !== 400) throw new Error(`a callback got ${answer.status}, not 400`)
    }
    return callbacks / ((performance.now() - start) / 1000)
  }
  const quiet: number[] = []
  const underLoad: number[] = []
  const garbage: number[] = []
  const ratios: number[] = []
  try {
    await perSecond()
    for (let round = 0; round < rounds; round++) {
      quiet.push(await perSecond())
      // The flood matches the receiver's quiet speed: one garbage request per callback.
      const load = await startGarbageLoad(Number(port), {
        rate: quiet.at(-1)!,
        senders: GARBAGE_SENDERS,
        lingering: LINGERING_SOCKETS,
      })
      underLoad.push(await perSecond())
      garbage.push(await load.stop())
      ratios.push(underLoad.at(-1)! / quiet.at(-1)!)
    }
  } finally {
    controller.abort()
    await session.close()
  }
  return {
    ratio: median(ratios),
    quiet: median(quiet),
    underLoad: median(underLoad),
    garbage: median(garbage),
  }
}
