import type { DeviceAuthorization, LoginOutcome } from '@keyway/core'

/** A duration for people: whole minutes from two minutes up, seconds below. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`
}

/**
 * What the person sees: the verification address whole on its own line, the code, and the
 * address that carries the code when the provider gives one.
 *
 * @param now - the current time (epoch ms), to say when the code expires.
 */
export function instructions(authorization: DeviceAuthorization, now: number): string {
  const { verificationUri, verificationUriComplete, userCode, expiresAt } = authorization
  const complete =
    verificationUriComplete === undefined
      ? ''
      : `Or open this address, which carries the code:\n\n${verificationUriComplete}\n\n`
  return (
    '\nTo log in, open this address in a browser, on this machine or any other:\n\n' +
    `${verificationUri}\n\nand enter this code: ${userCode}\n\n${complete}` +
    `Waiting for approval (the code expires in ${humanDuration(expiresAt - now)})...\n`
  )
}

/** How the login ended, as the last line the person sees. */
export function outcomeLine(outcome: LoginOutcome): string {
  return outcome.ok ? 'Approved.\n' : `The login failed: ${outcome.error.message}\n`
}
