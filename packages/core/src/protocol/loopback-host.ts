/**
 * True for the host names of this machine's loopback interface: `localhost`, `127.0.0.0/8`
 * and `[::1]`. Only these may be reached over plain `http://` (RFC 8252 §8.3).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return (
    host === 'localhost' ||
    host === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host.endsWith('.localhost')
  )
}

/** True when `url` may be used for protocol requests: `https:`, or `http:` on loopback. */
export function isAllowedEndpoint(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))
}
