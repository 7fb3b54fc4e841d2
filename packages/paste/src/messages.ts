import { isLoopbackHost, type LoginOutcome } from '@keyway/core'

/** Why a pasted line cannot be used, told to the person before they are asked again. */
export const problems = {
  cutOff:
    'That address looks cut off. Copy the whole address from the address bar and paste it on one line.',
  noState:
    'That address has no state: it may be cut off, or come from another app. Paste the whole address.',
  otherAttempt:
    'That address is from another login attempt: its state does not match this one. ' +
    'Open the address above and paste the one the browser ends on.',
  otherProvider: 'That address comes from another provider: its iss does not match this one.',
  noIss: 'That address lacks the iss this provider always sends: it may be cut off.',
  noCode: 'That address carries no code. Paste the address the browser went to after you approved.',
  authorizationUrl:
    'That is the address to open, not the one to paste. Open it in a browser, approve, ' +
    'then paste the address the browser ends on.',
  notACode:
    "That is neither an address nor a code. Paste the whole address from the browser's " +
    'address bar, or just the code.',
  tooShort:
    "That is too short to be a code. Paste the whole address from the browser's address bar.",
  tooLong: 'That line is too long to be an address or a code.',
} as const

/** Where the browser ends up, and what the person should do there. */
function hint(redirectUri: string, showsUrl: boolean): string {
  const target = new URL(redirectUri)
  const lead = showsUrl
    ? 'After you approve, the browser goes to an address starting with'
    : 'If the browser is on another machine, the address it ends on after you approve\nstarts with'
  const then = isLoopbackHost(target.hostname)
    ? "and may say it can't connect: that is expected. Copy that whole address from\n" +
      "the browser's address bar and paste it here."
    : "Copy that whole address from the browser's address bar (or the code the page\n" +
      'shows) and paste it here.'
  return `${lead}\n${target.origin}${target.pathname}\n${then}\n`
}

/**
 * What the person sees first: the authorization URL, whole on its own line, and a hint.
 * In a race the transport that chose the redirect URI (loopback) shows the URL, so paste
 * shows only the hint unless asked to show the URL too.
 */
export function introduction(url: URL, redirectUri: string, showUrl: boolean): string {
  const address = showUrl
    ? `To log in, open this address in a browser, on this machine or any other:\n\n${url.href}\n\n`
    : ''
  return `\n${address}${hint(redirectUri, showUrl)}\n`
}

/** The prompt; after an unusable answer it says how many tries are left. */
export function prompt(triesLeft: number, first: boolean): string {
  if (first) return 'Paste the address (or just the code): '
  return `Paste it again (${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left): `
}

/** The message of the error when the person gave `tries` unusable answers in a row. */
export function gaveUpAfter(tries: number, problem: string): string {
  return `No usable address or code after ${tries} ${tries === 1 ? 'try' : 'tries'}. ${problem}`
}

/** The message of the `aborted` error when the input ends before a usable answer. */
export const inputEnded = 'The input ended before an address or a code was pasted.'

/** How the login ended, as the last line the person sees. */
export function outcomeLine(outcome: LoginOutcome): string {
  return outcome.ok ? 'Logged in.\n' : `The login failed: ${outcome.error.message}\n`
}
