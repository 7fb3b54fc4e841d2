import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PageAsset } from './page-assets.js'

/**
 * Headers on every answer. The policy lets the page load only its own files (no inline
 * script or style, no other origin: no CDN, no font, no analytics); `no-referrer` keeps the
 * page's secret address out of any request; `no-store` keeps it out of the cache.
 */
export const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
} as const

/** Answers 404, for every address that is not one of the page's. */
export function sendNotFound(response: ServerResponse): void {
  const body = Buffer.from('Not found\n')
  response.writeHead(404, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
  })
  response.end(body)
}

function acceptsGzip(request: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))
}

/** Answers with one of the page's files, gzipped when the browser takes it. */
export async function sendAsset(
  request: IncomingMessage,
  response: ServerResponse,
  asset: PageAsset,
): Promise<void> {
  const gzip = acceptsGzip(request)
  const body = gzip ? await asset.gzipped() : await asset.body()
  response.writeHead(200, {
    ...securityHeaders,
    'Content-Type': asset.type,
    'Content-Length': body.length,
    Vary: 'Accept-Encoding',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  })
  response.end(request.method === 'HEAD' ? undefined : body)
}
