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

/**
 * The most of a response body the trace reads, in bytes: every token response and metadata
 * document fits, and a huge or endless answer is left for Keyway's own size limit to refuse.
 */
const MAX_PEEK = 64 * 1024

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

/**
 * Up to {@link MAX_PEEK} bytes of `response`'s body, read from a clone so the response itself
 * stays unread; `whole` is false when the body goes on. Undefined when the body cannot be read.
 */
async function peekBody(response: Response): Promise<{ text: string; whole: boolean } | undefined> {
  const body = response.clone().body
  if (body === null) return { text: '', whole: true }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
      if (size > MAX_PEEK) {
        // Not awaited: a clone's cancel settles only once the response itself is done with.
        reader.cancel().catch(() => undefined)
        return { text: '', whole: false }
      }
    }
  } catch {
    return undefined
  }
  return { text: Buffer.concat(chunks).toString('utf8'), whole: true }
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
    const peeked = await peekBody(response)
    const type = response.headers.get('content-type')
    if (peeked !== undefined && !peeked.whole) {
      write(`  body: (more than ${MAX_PEEK} bytes of ${type ?? 'text'}, not shown)`)
    } else if (peeked !== undefined && peeked.text !== '') {
      write(`  body: ${maskBody(peeked.text, type)}`)
    }
    return response
  }
}
