import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

/** Garbage load running against a receiver, from a child process. */
export interface GarbageLoad {
  /** Stops the load; resolves with the garbage requests it sent per second. */
  stop(): Promise<number>
}

/** What the garbage process printed: `{ready}` first, `{sent, seconds}` when it stopped. */
interface GarbageReport {
  readonly ready?: boolean
  readonly sent?: number
  readonly seconds?: number
}

/** How hard {@link startGarbageLoad} hits the receiver. */
export interface GarbageLoadShape {
  /** Garbage requests per second to send. */
  readonly rate: number
  /** Connections that may send garbage at once. */
  readonly senders: number
  /** Idle or slow-loris sockets to hold. */
  readonly lingering: number
}

/**
 * Starts `garbage-process.js` against the receiver on `port`, shaped as `shape` says, and
 * resolves once the garbage flows.
 */
export async function startGarbageLoad(
  port: number,
  shape: GarbageLoadShape,
): Promise<GarbageLoad> {
  const script = fileURLToPath(new URL('./garbage-process.js', import.meta.url))
  const args = [port, shape.rate, shape.senders, shape.lingering].map(String)
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const reports: GarbageReport[] = []
  const waiters: (() => void)[] = []
  let buffered = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const line of lines) reports.push(JSON.parse(line) as GarbageReport)
    for (const wake of waiters.splice(0)) wake()
  })
  let closed = false
  const exited = once(child, 'close').then(() => {
    closed = true
  })
  const report = async (matches: (report: GarbageReport) => boolean): Promise<GarbageReport> => {
    for (;;) {
      const found = reports.find(matches)
      if (found !== undefined) return found
      if (closed) throw new Error(`the garbage process exited (${child.exitCode})`)
      await Promise.race([new Promise<void>((wake) => waiters.push(wake)), exited])
    }
  }
  await report((line) => line.ready === true)
  return {
    async stop() {
      child.stdin.end()
      const { sent = 0, seconds = 1 } = await report((line) => line.sent !== undefined)
      await exited
      return sent / seconds
    },
  }
}
