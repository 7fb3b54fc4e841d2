import { configError, KeywayError, KeywayErrorCodes, race, type Transport } from '@keyway/core'
import { getProvider } from '@keyway/providers'
import type { Settings } from '../config/settings.js'
import type { CommandContext } from '../context.js'
import { environmentOf } from '../environment.js'
import { withHint } from '../hint.js'
import { deviceInstructions } from './device-display.js'

/** How `keyway login` brings the authorization back, as its flags choose. */
export type LoginFlow = 'auto' | 'browser' | 'noBrowser' | 'paste' | 'device'

/** The transport for one login, and how to wait for it. */
export interface ChosenTransport {
  readonly transport: Transport
  /** True when the person answers on the terminal (paste): no spinner then. */
  readonly readsInput: boolean
  /** What the wait is for, for the spinner. */
  readonly waitingFor: string
  /** Why this way was chosen, when it was not asked for. */
  readonly note?: string
}

const forbidsPrompts = 'prompts are forbidden (--no-input or KEYWAY_INTERACTIVE=0)'

/**
 * The login needs an answer that cannot arrive here (no browser can open and nothing may be
 * asked): `login_required` (exit 4) at once, rather than a wait until the timeout, with the
 * ways that would work.
 */
function loginImpossible(why: string): KeywayError {
  return withHint(
    new KeywayError(
      KeywayErrorCodes.loginRequired,
      `A login is needed and cannot happen here: ${why}.`,
    ),
    'Use --device (enter a code on any device), or --paste from a terminal without --no-input.',
  )
}

async function deviceTransport(context: CommandContext, settings: Settings) {
  if (getProvider(settings.provider.value).deviceGrant === 'unsupported') {
    throw configError(`The ${settings.provider.value} provider has no device flow: drop --device.`)
  }
  const { device } = await import('@keyway/device')
  const { stderr } = context.io
  const drawQr =
    stderr.isTTY === true ? await (await import('./qr-code.js')).loadQrDrawer() : undefined
  const transport = device({
    output: stderr,
    show: (authorization) => {
      const complete = authorization.verificationUriComplete
      const qr = complete === undefined ? undefined : drawQr?.(complete)
      stderr.write(
        deviceInstructions(authorization, {
          style: context.style,
          now: Date.now(),
          ...(qr ? { qr } : {}),
        }),
      )
    },
  })
  return { transport, readsInput: false, waitingFor: 'Waiting for approval…' }
}

/** Paste; alone, its redirect URI names the fixed port when the profile has one. */
async function pasteTransport(context: CommandContext, settings: Settings) {
  const { paste } = await import('@keyway/paste')
  const port = settings.port?.value
  return paste({
    input: context.io.stdin,
    output: context.io.stderr,
    // `keyway login` tells the outcome itself: one line, not two.
    announceOutcome: false,
    ...(port ? { redirectUri: `http://127.0.0.1:${port}/callback` } : {}),
  })
}

/**
 * Picks the transport for `keyway login`:
 * - `--device`: the device flow, the code shown first (and a QR code on a terminal);
 * - `--paste`: paste the address the browser ends on, no local server;
 * - otherwise a loopback server on 127.0.0.1, with a browser opened unless `--no-browser`
 *   (or, without `--browser`, where none can open: SSH, no display, CI), raced with paste
 *   when the terminal can be read, so either answer logs in. Where no browser can open and
 *   prompts are allowed, paste alone; where prompts are forbidden too, no answer could
 *   arrive: `login_required` at once, with a hint (`--device`, or `--paste` from a terminal).
 */
export async function chooseTransport(
  context: CommandContext,
  settings: Settings,
  flow: LoginFlow,
): Promise<ChosenTransport> {
  if (flow === 'device') return deviceTransport(context, settings)
  if (flow === 'paste') {
    if (!context.interactive)
      throw loginImpossible(`--paste reads what you paste, but ${forbidsPrompts}`)
    const transport = await pasteTransport(context, settings)
    return { transport, readsInput: true, waitingFor: '' }
  }
  const here = environmentOf(context.io.env)
  const open = flow === 'browser' || (flow === 'auto' && here.canOpenBrowser)
  const note =
    flow === 'auto' && !here.canOpenBrowser ? `Not opening a browser: ${here.reason}.` : undefined
  if (flow === 'auto' && !here.canOpenBrowser && !context.interactive) {
    throw loginImpossible(`${here.reason}, so no browser can open, and ${forbidsPrompts}`)
  }
  if (flow === 'auto' && !here.canOpenBrowser && context.interactive) {
    const transport = await pasteTransport(context, settings)
    return { transport, readsInput: true, waitingFor: '', ...(note ? { note } : {}) }
  }
  const { loopback } = await import('@keyway/loopback')
  const receiver = loopback({
    host: getProvider(settings.provider.value).loopbackHost,
    port: settings.port?.value ?? 0,
    open,
    output: context.io.stderr,
  })
  const withPaste = context.interactive && context.io.stdin.isTTY === true
  const transport = withPaste ? race(receiver, await pasteTransport(context, settings)) : receiver
  return {
    transport,
    readsInput: withPaste,
    waitingFor: 'Waiting for the browser…',
    ...(note ? { note } : {}),
  }
}
