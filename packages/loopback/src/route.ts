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

/** The parts of a request it is routed by: whatever a client sent, however malformed. */
export type RoutedRequest = Pick<IncomingMessage, 'method' | 'url' | 'headers'>

const stray: Route = { kind: 'stray' }

/**
 * Splits a request target at its query, and drops a fragment (which no browser sends). The
 * path is kept exactly as sent: it is compared as a string, never resolved against a base,
 * so no target (`/\[`, `//host`, `/%`, absolute-form, `*`) can make routing throw.
 */
function splitTarget(target: string): { readonly path: string; readonly query: string } {
  const end = target.search(/[?#]/)
  if (end === -1) return { path: target, query: '' }
  const fragment = target.indexOf('#', end)
  return {
    path: target.slice(0, end),
    query: target.slice(end, fragment === -1 ? undefined : fragment),
  }
}

/**
 * Routes a request. Only `GET` counts; a `Host` that does not name this receiver (a web page
 * reaching it through DNS rebinding), a missing one, and a request target whose path is not
 * exactly the callback path or a final page's are stray, and so is anything else: the
 * favicon, `HEAD`, `POST`, other paths, paths that would only match once resolved
 * (`/a/../callback`) or decoded (`/%63allback`). Never throws.
 */
export function routeRequest(request: RoutedRequest, table: RouteTable): Route {
  const host = request.headers.host
  if (request.method !== 'GET' || typeof host !== 'string') return stray
  if (!table.hosts.has(host.toLowerCase())) return stray
  const { path, query } = splitTarget(request.url ?? '')
  if (path === table.redirectUri.pathname) {
    // The query is set on a copy of the redirect URI: the setter percent-encodes whatever it
    // is given and cannot throw, and the answer's origin and path are always ours.
    const url = new URL(table.redirectUri)
    url.search = query
    return { kind: 'callback', url }
  }
  if (path === finalPagePaths.success || path === finalPagePaths.error) {
    return { kind: 'finalPage', path }
  }
  return stray
}
