import fc from 'fast-check'

/** Any text at all: every code point, controls and lone surrogates included. */
export const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength })

/** Printable ASCII without the space: what a request line's target may carry. */
const visibleAscii = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map(String.fromCharCode), maxLength })

/** Pieces that URL parsers and routers trip on, all of them legal in a request line. */
const trickyPiece = fc.oneof(
  fc.constantFrom(
    ...['%', '%2', '%zz', '%00', '%2e', '%2E', '%2f', '%5c', '%ff', '%%', '/', '\\', '..', '.'],
    ...['?', '#', '[', ']', ':', '@', ';', '&', '=', '+', '~', 'callback', 'done', 'error'],
    ...['code=', 'state=', 'iss=', 'error=access_denied', 'http:', '//', '\\\\', '/..', '/.'],
  ),
  visibleAscii(6),
)

/** Text made of {@link trickyPiece}s, e.g. `%zz/..\[code=`. */
export const trickyText = fc.array(trickyPiece, { maxLength: 16 }).map((pieces) => pieces.join(''))

/** Request targets: odd paths, the callback with any query, and the other forms. */
export const fuzzedTarget = fc.oneof(
  { arbitrary: trickyText.map((text) => `/${text}`), weight: 4 },
  { arbitrary: trickyText.map((text) => `/callback?${text}`), weight: 4 },
  { arbitrary: trickyText.map((text) => `/callback${text}`), weight: 1 },
  { arbitrary: trickyText.map((text) => `/\\${text}`), weight: 2 },
  { arbitrary: trickyText.map((text) => `//${text}`), weight: 1 },
  { arbitrary: trickyText.map((text) => `http://${text}/callback?${text}`), weight: 1 },
  { arbitrary: fc.constantFrom('*', '/', '/done', '/error', '/callback', 'callback'), weight: 1 },
  { arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => `/${'a'.repeat(n)}`), weight: 1 },
  { arbitrary: anyText(40).map((text) => `/callback?${text}`), weight: 1 },
  { arbitrary: anyText(40), weight: 1 },
)

const knownMethod = fc.oneof(
  { arbitrary: fc.constant('GET'), weight: 6 },
  {
    arbitrary: fc.constantFrom('HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'),
    weight: 3,
  },
  { arbitrary: fc.constantFrom('CONNECT', 'PRI', 'PROPFIND', 'SEARCH', 'QUERY'), weight: 1 },
)
const anyMethod = fc.oneof(knownMethod, fc.constantFrom('get', 'BREW', ''), anyText(10))

const version = fc.oneof(
  { arbitrary: fc.constantFrom('HTTP/1.1', 'HTTP/1.0'), weight: 4 },
  { arbitrary: fc.constantFrom('HTTP/2.0', 'HTTP/0.9', 'HTTP/1.1x', 'http/1.1', ''), weight: 1 },
  { arbitrary: anyText(10), weight: 1 },
)

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/)
/** Header names with a meaning to HTTP, whose values may make a request malformed. */
const framingHeader = fc.constantFrom(
  ...['Content-Length', 'Transfer-Encoding', 'Expect', 'Upgrade', 'Connection', 'Host'],
)
/** Header names a browser or a proxy sends, which mean nothing to the receiver. */
const plainHeader = fc.oneof(
  fc.constantFrom(
    ...['Cookie', 'Referer', 'Origin', 'X-Forwarded-Host', 'Forwarded', 'Accept-Encoding'],
    ...['Range', 'Authorization', 'Sec-Fetch-Site', 'X-Original-URL', 'Accept-Language'],
  ),
  token,
)
const printable = fc.stringMatching(/^[\x20-\x7e]{0,80}$/)
const anyHeaderValue = fc.oneof(
  printable,
  fc.integer({ min: -5, max: 1_000 }).map(String),
  anyText(60),
)

/** The receiver's own `Host` and its odd spellings, foreign ones, and none. */
function hostHeader(port: number) {
  const ours = `127.0.0.1:${port}`
  return fc.oneof(
    { arbitrary: fc.constant(ours), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        ...[ours.toUpperCase(), `localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1`],
        ...[`127.0.0.1:${port}.`, `[::1]:${port}`, `evil.example:${port}`, '', '['],
      ),
      weight: 2,
    },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: anyText(30), weight: 1 },
  )
}

/** A fuzzed request: its method, and its text with the encoding that makes it bytes. */
export interface FuzzedRequest {
  readonly method: string
  readonly text: string
  readonly encoding: 'utf8' | 'latin1'
}

function render(
  method: string,
  requestTarget: string,
  httpVersion: string,
  headers: readonly (readonly [string, string | undefined])[],
  body: string,
): string {
  const lines = [`${method} ${requestTarget} ${httpVersion}`]
  for (const [name, value] of headers) if (value !== undefined) lines.push(`${name}: ${value}`)
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}

/**
 * Requests a client could send to the receiver on `port`, as text: three in four are framed
 * well (so they reach the receiver's router: any method token, any target a request line can
 * carry, its own or another `Host`, harmless headers, a body with its length), the rest are
 * anything at all (any method, version, header name and value, and body, in UTF-8 or Latin-1),
 * which Node's HTTP layer mostly refuses before the receiver sees them.
 */
export function fuzzedRequest(port: number): fc.Arbitrary<FuzzedRequest> {
  const host = hostHeader(port)
  const wellFramed = fc
    .record({
      method: knownMethod,
      target: fuzzedTarget.filter((text) => /^[\x21-\x7e]*$/.test(text)),
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0'),
      hosts: fc.array(host, { minLength: 1, maxLength: 2 }),
      headers: fc.array(fc.tuple(plainHeader, printable), { maxLength: 6 }),
      body: fc.oneof(fc.constant(''), printable),
    })
    .map(({ method, target, version, hosts, headers, body }) => ({
      method,
      encoding: 'latin1' as const,
      text: render(
        method,
        target,
        version,
        [
          ...hosts.map((value) => ['Host', value] as const),
          ...headers,
          ...(body === '' ? [] : [['Content-Length', String(body.length)] as const]),
        ],
        body,
      ),
    }))
  const anything = fc
    .record({
      method: anyMethod,
      target: fuzzedTarget,
      version,
      hosts: fc.array(host, { minLength: 1, maxLength: 2 }),
      headers: fc.array(
        fc.tuple(fc.oneof(framingHeader, plainHeader, anyText(12)), anyHeaderValue),
        {
          maxLength: 6,
        },
      ),
      body: fc.oneof(fc.constant(''), anyText(200)),
      encoding: fc.constantFrom('utf8' as const, 'latin1' as const),
    })
    .map(({ method, target, version, hosts, headers, body, encoding }) => ({
      method,
      encoding,
      text: render(
        method,
        target,
        version,
        [...hosts.map((value) => ['Host', value] as const), ...headers],
        body,
      ),
    }))
  return fc.oneof({ arbitrary: wellFramed, weight: 3 }, { arbitrary: anything, weight: 1 })
}
