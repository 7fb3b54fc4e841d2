import { defaultFetch, type Fetch } from '@keyway/core'

/** A JSON answer as a rewrite rule sees it and returns it. */
export interface JsonAnswer {
  readonly status: number
  readonly body: unknown
}

/** Which answers a provider's `fetch` puts in the RFC's words, and how. */
export interface AnswerRewrite {
  /** True for the requests whose JSON answers the rule looks at. */
  matches(url: URL, method: string): boolean
  /** The answer in the RFC's words, or `undefined` to pass it on as it came. */
  rewrite(answer: JsonAnswer): JsonAnswer | undefined
}

function requestOf(input: string | URL | Request, init: RequestInit | undefined) {
  const url = new URL(input instanceof Request ? input.url : String(input))
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
  return { url, method }
}

async function rewriteAnswer(response: Response, rule: AnswerRewrite): Promise<Response> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return response
  const text = await response.text()
  let rewritten: JsonAnswer | undefined
  try {
    rewritten = rule.rewrite({ status: response.status, body: JSON.parse(text) as unknown })
  } catch {
    // Not JSON after all: core reports that as an invalid response.
  }
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.delete('content-encoding')
  if (rewritten === undefined) {
    return new Response(text, { status: response.status, statusText: response.statusText, headers })
  }
  return new Response(JSON.stringify(rewritten.body), { status: rewritten.status, headers })
}

/**
 * Wraps `base` (the app's `fetch`, or the global one) so that the JSON answers `rule` matches
 * are rewritten before core reads them; every other request and answer passes untouched.
 * Core still does its own part (asking for JSON, reading an error sent with HTTP 200).
 */
export function rewritingFetch(base: Fetch | undefined, rule: AnswerRewrite): Fetch {
  const send: Fetch = base ?? defaultFetch()
  return async (input, init) => {
    const response = await send(input, init)
    const { url, method } = requestOf(input, init)
    return rule.matches(url, method) ? rewriteAnswer(response, rule) : response
  }
}
