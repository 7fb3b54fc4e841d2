import { startBrowserCommand } from './browser-command.js'

/**
 * The app's own way to show the authorization URL (a particular browser, a desktop app's
 * web view, a test's scripted person). It may return a promise; a throw or a rejection is
 * reported on the output and never ends the login.
 */
export type BrowserOpener = (url: string) => unknown

/** Where the receiver writes for the person: `process.stderr` by default. */
export interface TextOutput {
  write(text: string): unknown
}

/** Writes a line for the person; a closed or broken output must not end the login. */
export function say(output: TextOutput, text: string): void {
  try {
    output.write(`${text}\n`)
  } catch {
    // Nowhere left to tell the person: the login goes on all the same.
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Opens the system's browser: `$BROWSER` when set, else the `open` package (loaded here). */
async function openSystemBrowser(url: string): Promise<void> {
  const fromEnvironment = process.env.BROWSER?.trim()
  if (fromEnvironment) return startBrowserCommand(fromEnvironment, url)
  const { default: open } = await import('open')
  const child = await open(url)
  child.on('error', () => undefined)
}

/**
 * Shows the authorization URL: prints it whole on a line of its own (so it can be copied or
 * clicked whatever happens next), then opens a browser as asked. Never throws: when the
 * browser cannot be opened it says so and the printed URL is the way on.
 */
export async function showAuthorizationUrl(
  url: string,
  open: boolean | BrowserOpener,
  output: TextOutput,
): Promise<void> {
  say(output, 'Open this address in your browser to sign in:')
  say(output, url)
  if (open === false) return
  try {
    await (open === true ? openSystemBrowser(url) : open(url))
  } catch (error) {
    say(output, `Could not open a browser (${reasonOf(error)}). Open the address above yourself.`)
  }
}
