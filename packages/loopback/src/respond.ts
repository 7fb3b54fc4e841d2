import type { ServerResponse } from 'node:http'

/**
 * Headers on every answer. `no-referrer` keeps the callback URL (and its code) out of any
 * request the page could make; `no-store` keeps pages out of the cache; `Connection: close`
 * leaves no idle socket to keep the process alive. The policy forbids scripts and every
 * asset from elsewhere, so even a template that forgot to escape cannot run provider text.
 */
const securityHeaders = {
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  Connection: 'close',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
} as const

/** Answers with an HTML page. */
export function sendPage(response: ServerResponse, status: number, html: string): void {
  const body = Buffer.from(html, 'utf8')
  response.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
  })
  response.end(body)
}

/** Answers with a 302 to a path on this server, so the callback URL leaves the history. */
export function sendRedirect(response: ServerResponse, path: string): void {
  response.writeHead(302, { ...securityHeaders, Location: path, 'Content-Length': 0 })
  response.end()
}
