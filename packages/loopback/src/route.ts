import type { IncomingMessage } from 'node:http'

/** Where the final pages live; the callback path may be neither. */
export const finalPagePaths = { success: '/done', error: '/error' } as const

/** What an incoming request is, for the receiver. */
export type Route =
  | { readonly kind: 'callback'; readonly url: URL }
  | { readonly kind: 'finalPage'; readonly path: string }
  | { readonly kind: 'stray' }

/** The facts a request is routed by. */
export interface RouteTable {
  /** The redirect URI: its path is the callback path, its origin the base of request URLs. */
  readonly redirectUri: URL
  /** The `Host` header values that name this receiver, e.g. `127.0.0.1:41234`. */
  readonly hosts: ReadonlySet<string>
}

const stray: Route = { kind: 'stray' }

/**
 * Routes a request. Only `GET` counts; a `Host` that does not name this receiver (a web page
 * reaching it through DNS rebinding) and a request target that is not a plain path are
 * stray, and so is anything else: the favicon, `HEAD`, `POST`, other paths.
 */
export function routeRequest(request: IncomingMessage, table: RouteTable): Route {
  const target = request.url ?? ''
  const host = request.headers.host?.toLowerCase()
  if (request.method !== 'GET' || !target.startsWith('/') || target.startsWith('//')) return stray
  if (host === undefined || !table.hosts.has(host)) return stray
  const url = new URL(target, table.redirectUri)
  if (url.pathname === table.redirectUri.pathname) return { kind: 'callback', url }
  if (url.pathname === finalPagePaths.success || url.pathname === finalPagePaths.error) {
    return { kind: 'finalPage', path: url.pathname }
  }
  return stray
}
