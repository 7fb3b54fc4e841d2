import fc from 'fast-check'
import { fuzzedRequest } from './fuzzed-requests.js'

/**
 * Request targets that have broken routers: backslashes a URL parser reads as slashes (`/\[`
 * once ended the process waiting in `login()`), other authorities, percent garbage, paths that
 * only match once resolved or decoded, the other request-target forms, and long ones.
 */
const targets = [
  ...['/\\[', '/\\a:b', '/\\%', '/\\', '/\\\\', '/\\\\evil.example/callback', '/\\@evil/callback'],
  ...['//', '//[', '//evil.example/callback', '///callback', '/%', '/%%', '/%zz', '/%00'],
  ...['/%2e%2e/callback', '/%63allback', '/callback%', '/callback?%', '/callback?code=%ZZ&state=%'],
  ...['/callback?state=&state=&code=', '/callback#code=x', '/callback/..', '/./callback'],
  ...['/a/../callback', '/callback;x', '/done/', '/error?x', '/[', '/:', '/@', '/?', '/#'],
  ...['*', '', 'callback', 'http://[/callback', 'http://127.0.0.1/callback', 'https://evil/'],
  `/${'a'.repeat(8_000)}`,
  `/callback?${'x=1&'.repeat(3_000)}`,
  `/${'%'.repeat(20_000)}`,
]

const methods = [
  ...['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT'],
  ...['get', 'BREW', 'PRI', ''],
]

/** The receiver's own `Host` and what else a `Host` header can say. */
function hostLines(host: string): string[] {
  return [
    `Host: ${host.toUpperCase()}`,
    `Host: localhost:${host.split(':').at(-1)}`,
    'Host: evil.example',
    'Host: ',
    'Host: [',
    `Host: ${host}\r\nHost: evil.example`,
    `Host: ${host}.`,
    `Host: ${'h'.repeat(10_000)}`,
    `Host:${host}`,
    ` Host: ${host}`,
    '',
  ]
}

/** Malformed framing: request lines, headers, bodies and versions a parser must refuse. */
function framing(host: string): string[] {
  const ok = `Host: ${host}\r\n`
  return [
    'GET /callback',
    'GET /callback\r\n\r\n',
    `GET /callback HTTP/1.1\n${ok.trim()}\n\n`,
    `GET /callback HTTP/9.9\r\n${ok}\r\n`,
    `GET /callback HTTP/1.1x\r\n${ok}\r\n`,
    `GET /callback HTTP/0.9\r\n${ok}\r\n`,
    `GET  /callback  HTTP/1.1\r\n${ok}\r\n`,
    `GET /call back HTTP/1.1\r\n${ok}\r\n`,
    `GET\t/callback\tHTTP/1.1\r\n${ok}\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}NoColon\r\n\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}Bad Name: x\r\n\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}X: a\u0000b\r\n\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}X: a\r\n folded\r\n\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}: empty-name\r\n\r\n`,
    `GET / HTTP/1.1\r\n${ok}X-Huge: ${'x'.repeat(20_000)}\r\n\r\n`,
    `GET / HTTP/1.1\r\n${ok}${'X-Many: y\r\n'.repeat(3_000)}\r\n`,
    `GET / HTTP/1.1\r\n${ok}Cookie: ${'c=1; '.repeat(3_000)}\r\n\r\n`,
    `POST /callback HTTP/1.1\r\n${ok}Content-Length: -1\r\n\r\n`,
    `POST /callback HTTP/1.1\r\n${ok}Content-Length: abc\r\n\r\n`,
    `POST /callback HTTP/1.1\r\n${ok}Content-Length: 99999999999999999999\r\n\r\n`,
    `POST /callback HTTP/1.1\r\n${ok}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    `POST /callback HTTP/1.1\r\n${ok}Transfer-Encoding: chunked\r\n\r\nzz\r\nbad\r\n`,
    `POST /callback HTTP/1.1\r\n${ok}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`,
    `POST /callback HTTP/1.1\r\n${ok}Transfer-Encoding: gzip, chunked, x\r\n\r\n`,
    `POST / HTTP/1.1\r\n${ok}Content-Length: 1000000\r\n\r\n${'b'.repeat(1_000_000)}`,
    `GET /callback HTTP/1.1\r\n${ok}Content-Length: 5\r\n\r\nhello`,
    `GET /callback HTTP/1.1\r\n${ok}Expect: 100-continue\r\nContent-Length: 3\r\n\r\nabc`,
    `GET /callback HTTP/1.1\r\n${ok}Expect: teapot\r\n\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}Connection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: x\r\n\r\n`,
    `CONNECT 127.0.0.1:1 HTTP/1.1\r\n${ok}\r\n`,
    'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003',
    '\r\n\r\n\r\n\r\n',
    `GET /favicon.ico HTTP/1.1\r\n${ok}\r\n`.repeat(50),
    `GET /callback?code=x&state=y HTTP/1.1\r\n${ok}\r\nGET /\\[ HTTP/1.1\r\n${ok}\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}X-Forwarded-Host: evil.example\r\nForwarded: host=evil\r\n\r\n`,
    `GET /callback HTTP/1.1\r\n${ok}X-Original-URL: /done\r\nX-Rewrite-URL: /done\r\n\r\n`,
    `GET /\u00ff\u00fe HTTP/1.1\r\n${ok}\r\n`,
    `GET /callback?\u00e9=\u00e9 HTTP/1.1\r\n${ok}X-Latin: \u00e9\u00ff\r\n\r\n`,
  ]
}

/** `count` blobs of seeded random bytes, from 1 byte to 2 KiB. */
function randomBlobs(count: number): Uint8Array[] {
  return fc.sample(fc.uint8Array({ minLength: 1, maxLength: 2_048 }), {
    numRuns: count,
    seed: 8252,
  })
}

/**
 * Hundreds of kinds of garbage for a receiver whose `Host` is `host` (e.g. `127.0.0.1:41234`),
 * each the bytes of one connection: the hostile targets with every method and with every
 * kind of `Host` header, malformed framing, random bytes, and seeded fuzzed requests. None of
 * them carries the login's `state`.
 */
export function garbageRequests(host: string): (string | Uint8Array)[] {
  const port = Number(host.split(':').at(-1))
  const line = (method: string, target: string, hostLine: string) =>
    `${method} ${target} HTTP/1.1\r\n${hostLine === '' ? '' : `${hostLine}\r\n`}\r\n`
  return [
    ...targets.flatMap((target) => methods.map((method) => line(method, target, `Host: ${host}`))),
    ...targets.flatMap((target) =>
      hostLines(host).map((hostLine) => line('GET', target, hostLine)),
    ),
    ...framing(host),
    ...randomBlobs(200),
    ...fc
      .sample(fuzzedRequest(port), { numRuns: 300, seed: 7636 })
      .map((request) => Buffer.from(request.text, request.encoding)),
  ]
}
