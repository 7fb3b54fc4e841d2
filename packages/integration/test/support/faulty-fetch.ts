import type { FaultServer, SocketFault } from './fault-server.js'

/** One scripted fault: what the token endpoint "answers" instead of the provider. */
export type Fault =
  | {
      readonly kind: 'response'
      readonly status: number
      readonly body: string
      readonly headers?: Record<string, string>
    }
  /** Played over a real socket by the {@link FaultServer}. */
  | { readonly kind: SocketFault }
  /** A real refused connection: a loopback port nothing listens on. */
  | { readonly kind: 'refused' }
  /** What fetch rejects with when the host name does not resolve (no DNS query is made). */
  | { readonly kind: 'unresolved'; readonly code: 'ENOTFOUND' | 'EAI_AGAIN' }

/** Options of {@link faultyFetch}. */
export interface FaultPlan {
  /** Which token requests to intercept, by grant type. */
  readonly grantType: 'refresh_token' | 'authorization_code'
  /** The faults, in order; once spent, requests reach the provider. */
  readonly faults: Fault[]
}

/** JSON response helper for fault plans. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Fault {
  return {
    kind: 'response',
    status,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  }
}

/** The error undici's fetch rejects with when `url`'s host name does not resolve. */
function unresolvedError(url: string, code: string): TypeError {
  const { hostname } = new URL(url)
  const cause = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
    code,
    syscall: 'getaddrinfo',
    hostname,
  })
  return new TypeError('fetch failed', { cause })
}

/**
 * A fetch that plays the provider's token endpoint badly for the faults planned, and passes
 * everything else to the real provider. It also records when each intercepted request came.
 * Socket faults and refused connections need a `server` from `startFaultServer()`.
 */
export function faultyFetch(plan: FaultPlan, server?: FaultServer) {
  const faults = [...plan.faults]
  const attempts: number[] = []
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input)
    const body =
      init?.body instanceof URLSearchParams
        ? init.body
        : new URLSearchParams(String(init?.body ?? ''))
    if (!url.endsWith('/token') || body.get('grant_type') !== plan.grantType)
      return fetch(input, init)
    attempts.push(Date.now())
    const fault = faults.shift()
    if (fault === undefined) return fetch(input, init)
    switch (fault.kind) {
      case 'response':
        return new Response(fault.body, { status: fault.status, headers: fault.headers })
      case 'unresolved':
        throw unresolvedError(url, fault.code)
      case 'refused':
        return fetch(needs(server).refusedUrl, init)
      default:
        return fetch(needs(server).url(fault.kind), init)
    }
  }
  return { fetch: fetchImpl, attempts }
}

function needs(server: FaultServer | undefined): FaultServer {
  if (server === undefined) throw new Error('this fault needs startFaultServer()')
  return server
}
