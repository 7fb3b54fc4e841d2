import type { DeviceAuthorization } from '@keyway/core'
import type { Style } from '../ui/style.js'
import { humanDuration } from '../ui/time.js'

/** What {@link deviceInstructions} shows besides the authorization. */
export interface DeviceDisplay {
  readonly style: Style
  /** The complete address as a QR code, on a terminal; undefined elsewhere. */
  readonly qr?: string
  readonly now: number
}

/**
 * What the person sees for the device flow: the code first, then where to enter it, then the
 * address that carries the code, whole on its own line, and as a QR code on a terminal.
 */
export function deviceInstructions(authorization: DeviceAuthorization, display: DeviceDisplay) {
  const { userCode, verificationUri, verificationUriComplete, expiresAt } = authorization
  const { style, qr, now } = display
  const lines = [
    '',
    `Your code: ${style.bold(userCode)}`,
    '',
    'Enter it at this address, on this machine or any other:',
    verificationUri,
  ]
  if (verificationUriComplete !== undefined) {
    lines.push('', 'Or open this address, which carries the code:', verificationUriComplete)
    if (qr !== undefined) lines.push('', 'or scan it:', qr.trimEnd())
  }
  lines.push('', `The code expires in ${humanDuration(expiresAt - now)}.`, '')
  return lines.join('\n')
}
