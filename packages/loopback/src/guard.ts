import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendPage } from './respond.js'

/** A request listener of the receiver's servers. */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void

/** How a guarded listener answers a request that made it throw. */
export interface FaultAnswer {
  /** The page sent with the 400: a fixed page that tells nothing of the request. */
  page(): string
  /** Called once for each such request, told nothing of the error (it may hold a secret). */
  noticed(): void
}

/**
 * Wraps a request listener so that nothing it throws reaches the server: there it would be
 * an uncaught exception, which ends the process and the login waiting in it, and any local
 * program can send a request. A request that throws is answered with a 400 and the fault's
 * page (or its connection is dropped when an answer was already begun); the listener's state
 * is left as it was, so the login keeps waiting.
 */
export function guardListener(listener: RequestListener, fault: FaultAnswer): RequestListener {
  return (request, response) => {
    try {
      listener(request, response)
    } catch {
      fault.noticed()
      answerFault(response, fault)
    }
  }
}

function answerFault(response: ServerResponse, fault: FaultAnswer): void {
  try {
    if (response.headersSent) response.destroy()
    else sendPage(response, 400, fault.page())
  } catch {
    response.destroy()
  }
}
