import { serveInspector } from '@keyway/inspect'
import { createInspector, createSkyInspector } from '@statelyai/inspect'
import type { InspectionEvent, Observer } from 'xstate'
import { summarizer } from './summary.js'

/** Where the example's inspection events go, and how it ends with them. */
export interface ChosenInspector {
  readonly inspect: Observer<InspectionEvent>
  /** What to look at once the flow is over, at a terminal: the page, or Stately's session. */
  readonly afterwards: string
  /** Waits until someone watches, when that is the point (a page at a terminal). */
  ready(): Promise<void>
  stop(): Promise<void>
}

const say = (line: string) => process.stdout.write(`${line}\n`)
const tell = (line: string) => process.stderr.write(`${line}\n`)

/** Stately's site: the Sky relay's link leads there, so without it there is nothing to see. */
const STATELY = 'https://stately.ai/'

/** A line's worth of why a request failed: `getaddrinfo ENOTFOUND stately.ai`. */
function reason(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause?.message
  return cause ?? (error instanceof Error ? error.message : String(error))
}

/**
 * Stately's inspector through its Sky relay: it needs the internet, and the events leave the
 * machine. Checked first, so that offline it fails in one line instead of retrying.
 */
async function skyInspector(): Promise<ChosenInspector | undefined> {
  try {
    await fetch(STATELY, { method: 'HEAD', signal: AbortSignal.timeout(10_000) })
  } catch (error) {
    tell(
      `inspector: KEYWAY_INSPECT=sky needs the internet, and ${STATELY} is out of reach (${reason(error)}). Without it, the example serves the chart on this computer.`,
    )
    return undefined
  }
  const sky = createSkyInspector({
    onerror: (error) => {
      tell(`inspector: the connection to Stately's relay failed (${reason(error)}).`)
      // The library keeps reconnecting and offers no way to close its socket: leave.
      process.exit(1)
    },
  })
  return {
    inspect: sky.inspect,
    afterwards: "look at the session in Stately's inspector, then press Ctrl-C",
    ready: async () => {},
    stop: async () => {
      sky.stop()
      // Its socket would hold the process forever: once the session is over, leave.
      setImmediate(() => process.exit())
    },
  }
}

/** The events printed here: a line each, or (`json`) whole, as they would be sent. */
function printer(json: boolean) {
  const show = json ? JSON.stringify : summarizer()
  return createInspector({ send: (event) => say(show(event)) })
}

/**
 * The inspector the example runs with (see the README): by default a live statechart on a
 * local page (`serveInspector`, offline), with a line per event printed here too; `json`
 * prints each event whole; `sky` is Stately's inspector, online. Undefined when the chosen
 * one cannot work (sky, offline): the reason has been printed.
 */
export async function chooseInspector(
  mode: string | undefined,
  attended: boolean,
): Promise<ChosenInspector | undefined> {
  if (mode === 'sky') return skyInspector()
  const lines = printer(mode === 'json')
  if (mode === 'json') {
    return {
      inspect: lines.inspect,
      afterwards: '',
      ready: async () => {},
      stop: async () => lines.stop(),
    }
  }
  const page = serveInspector()
  return {
    afterwards: 'the page stays until you press Ctrl-C',
    inspect: {
      next: (event) => {
        page.next(event)
        lines.inspect.next?.(event)
      },
    },
    ready: async () => {
      if (!attended) return
      await page.url
      tell('Open the address above: the login starts once the page is open.')
      await page.pageOpened()
    },
    stop: async () => {
      lines.stop()
      await page.close()
    },
  }
}
