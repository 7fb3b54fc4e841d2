import { configError, KeywayError, KeywayErrorCodes } from './errors.js'
import type {
  AuthorizationRequest,
  Callback,
  CodeSession,
  CodeTransport,
  LoginOutcome,
  Transport,
  TransportContext,
} from './ports/transport.js'

/** One transport of a race, opened, with its own means of being called off. */
interface Runner {
  readonly transport: CodeTransport
  readonly session: CodeSession
  readonly cancel: AbortController
}

async function openRunner(
  transport: CodeTransport,
  context: TransportContext,
  offered: string | undefined,
): Promise<Runner> {
  const cancel = new AbortController()
  const session = await transport.open({
    signal: AbortSignal.any([context.signal, cancel.signal]),
    ...(offered === undefined ? {} : { redirectUri: offered }),
  })
  return { transport, session, cancel }
}

async function dismiss(runners: readonly Runner[], why: string): Promise<void> {
  for (const runner of runners) {
    runner.cancel.abort(new KeywayError(KeywayErrorCodes.aborted, why))
  }
  await Promise.allSettled(runners.map((runner) => runner.session.close()))
}

function twoRedirectUris(a: Runner, b: Runner): KeywayError {
  return configError(
    `race(): ${a.transport.name} and ${b.transport.name} each need their own redirect URI; ` +
      'a race can hold only one transport that picks its redirect URI (such as loopback).',
  )
}

/**
 * Opens every transport on one redirect URI. Each is offered the URI chosen so far; one that
 * answers with another URI picks its own (loopback binds a port), so the ones opened before it
 * are opened again on its URI. Two that pick their own cannot share a login.
 */
async function openOnOneRedirectUri(
  transports: readonly CodeTransport[],
  context: TransportContext,
): Promise<{ readonly runners: Runner[]; readonly redirectUri: string }> {
  let runners: Runner[] = []
  let offered = context.redirectUri
  let picker: Runner | undefined
  try {
    for (const transport of transports) {
      const runner = await openRunner(transport, context, offered)
      runners.push(runner)
      const uri = runner.session.redirectUri
      if (offered === undefined || uri === offered) {
        offered = uri
        continue
      }
      if (picker !== undefined) throw twoRedirectUris(picker, runner)
      picker = runner
      offered = uri
      const earlier = runners.slice(0, -1)
      runners = [runner]
      await dismiss(earlier, 'The transport is opened again on another redirect URI.')
      for (const again of earlier) {
        const reopened = await openRunner(again.transport, context, offered)
        runners.push(reopened)
        if (reopened.session.redirectUri !== offered) throw twoRedirectUris(picker, reopened)
      }
    }
    return { runners, redirectUri: offered! }
  } catch (error) {
    await dismiss(runners, 'Opening the race failed.')
    throw error
  }
}

/** True when a racer stopped on its own (its input ended) rather than with an answer. */
function gaveUp(error: KeywayError, race: AbortSignal): boolean {
  return error.code === KeywayErrorCodes.aborted && !race.aborted
}

function asKeywayError(error: unknown, runner: Runner): KeywayError {
  return error instanceof KeywayError
    ? error
    : new KeywayError(
        KeywayErrorCodes.invalidResponse,
        `The ${runner.transport.name} transport failed.`,
        { cause: error },
      )
}

/** The race's side of one login attempt: every runner waits, the first answer settles it. */
class RaceSession implements CodeSession {
  readonly redirectUri: string
  readonly #runners: readonly Runner[]
  /** The runner whose answer (a callback or the provider's error) settled the race. */
  #answered: Runner | undefined
  #closing: Promise<void> | undefined

  constructor(runners: readonly Runner[], redirectUri: string) {
    this.#runners = runners
    this.redirectUri = redirectUri
  }

  receive(request: AuthorizationRequest): Promise<Callback> {
    return new Promise<Callback>((resolve, reject) => {
      let waiting = this.#runners.length
      let settled = false
      const settle = async (runner: Runner, outcome: () => void) => {
        settled = true
        this.#answered = runner
        const others = this.#runners.filter((other) => other !== runner)
        await dismiss(others, `Another transport (${runner.transport.name}) answered first.`)
        outcome()
      }
      for (const runner of this.#runners) {
        const signal = AbortSignal.any([request.signal, runner.cancel.signal])
        runner.session.receive({ ...request, signal }).then(
          (callback) => {
            if (!settled) void settle(runner, () => resolve(callback))
          },
          (error: unknown) => {
            if (settled) return
            const failure = asKeywayError(error, runner)
            waiting -= 1
            if (gaveUp(failure, request.signal) && waiting > 0) {
              void dismiss([runner], 'The transport gave up.')
              return
            }
            void settle(runner, () => reject(failure))
          },
        )
      }
    })
  }

  async finish(outcome: LoginOutcome): Promise<void> {
    await this.#answered?.session.finish(outcome)
  }

  close(): Promise<void> {
    this.#closing ??= dismiss(this.#runners, 'The login attempt is over.')
    return this.#closing
  }
}

/**
 * Runs several code transports at once for one login, e.g. loopback and paste: the person
 * may let the browser come back to this machine, or paste the address it ended on. The first
 * valid answer wins; the others are cancelled and closed, and core exchanges the code once.
 *
 * All racers share one redirect URI: the one named by the transport that picks its own
 * (loopback binds a port), which the others (paste) adopt. A racer that stops on its own, as
 * paste does when its input ends, leaves the others waiting; an answer from the provider
 * (`access_denied`, another error) ends the race at once.
 *
 * `race` has no defaults of its own: the app or the CLI chooses what runs.
 *
 * @throws `config_error` when given no transport, or a token transport such as `device()`,
 *   which cannot share a login with a code transport.
 * @example
 * ```ts
 * import { createKeyway, race } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 * import { paste } from '@keyway/paste'
 * const kw = createKeyway({ issuer, clientId, transport: race(loopback(), paste()) })
 * ```
 */
export function race(...transports: readonly CodeTransport[]): CodeTransport {
  if (transports.length === 0) throw configError('race() needs at least one transport.')
  for (const transport of transports as readonly Transport[]) {
    if (transport?.kind !== 'code') {
      throw configError(
        `race() runs code transports only; ${transport?.name ?? String(transport)} yields tokens ` +
          'itself: pass it alone as the transport.',
      )
    }
  }
  const racers = [...transports]
  return {
    kind: 'code',
    name: `race(${racers.map((transport) => transport.name).join(', ')})`,
    async open(context) {
      const { runners, redirectUri } = await openOnOneRedirectUri(racers, context)
      return new RaceSession(runners, redirectUri)
    },
  }
}
