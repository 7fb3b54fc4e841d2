import { createServer } from 'node:net'

/** One scripted fault: what the token endpoint "answers" instead of the provider. */
export type Fault =
  | {
      readonly kind: 'response'
      readonly status: number
      readonly body: string
      readonly headers?: Record<string, string>
    }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' }

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

/** An address where every connection is reset at once: a real ECONNRESET for fetch. */
export async function startResetServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((socket) => socket.resetAndDestroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return {
    url: `http://127.0.0.1:${address.port}/token`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * A fetch that plays the provider's token endpoint badly for the faults planned, and passes
 * everything else to the real provider. It also records when each intercepted request came.
 */
export function faultyFetch(plan: FaultPlan, resetUrl?: string) {
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
      case 'reset':
        if (resetUrl === undefined) throw new Error('a reset fault needs startResetServer()')
        return fetch(resetUrl, { ...init, method: 'POST' })
      case 'hang':
        return new Promise<Response>((_, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true })
        })
    }
  }
  return { fetch: fetchImpl, attempts }
}
