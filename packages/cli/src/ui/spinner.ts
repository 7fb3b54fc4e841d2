import type { TerminalStream } from '../io.js'

/** A line that says what is being waited for; animated on a terminal. */
export interface Waiting {
  /** Ends the wait, with a final line when given. */
  stop(final?: string): void
}

/**
 * Says what the command waits for. On a terminal a spinner turns (yocto-spinner, loaded
 * now); piped, nothing is written, so logs get no animation frames.
 */
export async function startWaiting(stream: TerminalStream, text: string): Promise<Waiting> {
  if (stream.isTTY !== true) return { stop: () => undefined }
  const { default: yoctoSpinner } = await import('yocto-spinner')
  // The command handles Ctrl-C itself: it cancels the login and exits with 2.
  const spinner = yoctoSpinner({ text, stream, handleSignals: false }).start()
  return {
    stop(final) {
      if (final === undefined) spinner.stop()
      else spinner.stop(final)
    },
  }
}
