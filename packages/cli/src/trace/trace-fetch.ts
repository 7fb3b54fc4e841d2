import type { Fetch } from '@keyway/core'
import { maskHeader, maskJson, maskParams, maskUrl } from '../mask.js'

/** Options of {@link traceFetch}. */
export interface TraceFetchOptions {
  /** Receives each line of the trace, without its line break. */
  readonly write: (line: string) => void
  /** The clock for the durations, in ms. Default `performance.now`. */
  readonly clock?: () => number
}

/** The longest body shown, in characters: a discovery document is shown whole, a page is not. */
const MAX_BODY = 2_000

const tracedHeaders = ['authorization', 'dpop', 'content-type', 'www-authenticate'] as const

function clip(text: string): string {
  return text.length <= MAX_BODY ? text : `${text.slice(0, MAX_BODY)}… (${text.length} characters)`
}

/** A body as text with its secrets masked: form parameters, JSON, or only its size. */
function maskBody(text: string, contentType: string | null): string {
  const type = contentType ?? ''
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return clip(JSON.stringify(maskJson(JSON.parse(text))))
    } catch {
      // Not JSON after all: fall through to the size.
    }
  }
  if (type.includes('x-www-form-urlencoded')) return clip(maskParams(new URLSearchParams(text)))
  return `(${text.length} characters of ${type === '' ? 'text' : type})`
}

function requestBody(body: RequestInit['body'], contentType: string | null): string | undefined {
  if (body === undefined || body === null) return undefined
  if (body instanceof URLSearchParams) return clip(maskParams(body))
  if (typeof body === 'string') return maskBody(body, contentType)
  return '(a body that is not text)'
}

function headerLines(headers: Headers): string[] {
  return tracedHeaders.flatMap((name) => {
    const value = headers.get(name)
    return value === null ? [] : [`  ${name}: ${maskHeader(name, value)}`]
  })
}

function failureOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
  const detail = cause?.code ?? cause?.message
  const message = error instanceof Error ? error.message : String(error)
  return detail === undefined ? message : `${message} (${String(detail)})`
}

/**
 * Wraps `fetch` so that each HTTP request and its response are told, one step per line, with
 * every secret masked: tokens, codes, verifiers and client secrets in URLs, form bodies and
 * JSON bodies, and the credentials of `Authorization` headers. Pass the result as the `fetch`
 * of `createKeyway()` (or of a provider preset).
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { traceFetch } from '@keyway/cli'
 *
 * const fetch = traceFetch(globalThis.fetch, { write: (line) => console.error(line) })
 * const kw = createKeyway({ issuer, clientId, fetch })
 * ```
 */
export function traceFetch(base: Fetch, options: TraceFetchOptions): Fetch {
  const { write } = options
  const clock = options.clock ?? (() => performance.now())
  return async (input, init = {}) => {
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    const url = input instanceof Request ? input.url : String(input)
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : {}))
    write(`→ ${method} ${maskUrl(url)}`)
    for (const line of headerLines(headers)) write(line)
    const body = requestBody(init.body, headers.get('content-type'))
    if (body !== undefined) write(`  body: ${body}`)
    const started = clock()
    let response: Response
    try {
      response = await base(input, init)
    } catch (error) {
      write(`← failed after ${Math.round(clock() - started)} ms: ${failureOf(error)}`)
      throw error
    }
    const took = Math.round(clock() - started)
    const status = [response.status, response.statusText].filter((part) => part !== '').join(' ')
    write(`← ${status} in ${took} ms`)
    for (const line of headerLines(response.headers)) write(line)
    const text = await response
      .clone()
      .text()
      .catch(() => undefined)
    if (text !== undefined && text !== '') {
      write(`  body: ${maskBody(text, response.headers.get('content-type'))}`)
    }
    return response
  }
}
