import type { CommandContext } from '../context.js'
import { ExitCode } from '../exit-codes.js'
import { openSession } from '../session.js'

/**
 * Resolves when `signal` aborts (Ctrl-C, SIGTERM), holding the process up until then: the
 * inspector's server and Keyway's refresh timer never keep a process alive by themselves.
 */
function untilInterrupted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const hold = setInterval(() => {}, 60_000)
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(hold)
        resolve()
      },
      { once: true },
    )
  })
}

/**
 * `keyway inspect --serve`: the profile's Keyway, live on a local page (see
 * `@keyway/inspect`). The page's address is printed first, alone on its line; the Keyway
 * restores the profile's grant and keeps it fresh while the command runs, each step shown on
 * the page, until Ctrl-C or SIGTERM ends it (exit 0).
 */
export async function runInspectServe(context: CommandContext): Promise<ExitCode> {
  const settings = await context.settings()
  const { serveInspector } = await import('@keyway/inspect')
  const inspector = serveInspector({ output: context.io.stderr })
  try {
    await inspector.url
    const session = await openSession(context, settings, {
      fetch: await context.fetch(),
      inspect: inspector,
    })
    try {
      const state = await session.kw.ready()
      context.io.stderr.write(
        `Profile ${settings.profile.value} is ${state}. The page follows it until Ctrl-C.\n`,
      )
      await untilInterrupted(context.signal)
    } finally {
      await session.close()
    }
  } finally {
    await inspector.close()
  }
  return ExitCode.ok
}
