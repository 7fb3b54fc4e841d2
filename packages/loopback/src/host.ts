import { configError } from '@keyway/core'

/**
 * The loopback host names the receiver can listen on. `127.0.0.1` is the default (RFC 8252
 * §7.3 recommends the IP literal); `[::1]` (or `::1`) listens on IPv6; `localhost` listens on
 * both families on one port, since a browser may resolve it to either.
 */
export type LoopbackHost = '127.0.0.1' | '[::1]' | '::1' | 'localhost'

/** Where to listen for one {@link LoopbackHost}, and how the redirect URI names it. */
export interface HostPlan {
  /** The host as it appears in the redirect URI: `127.0.0.1`, `[::1]` or `localhost`. */
  readonly uriHost: string
  /** The addresses to listen on, all on the same port. */
  readonly addresses: readonly ('127.0.0.1' | '::1')[]
}

const plans: Readonly<Record<LoopbackHost, HostPlan>> = {
  '127.0.0.1': { uriHost: '127.0.0.1', addresses: ['127.0.0.1'] },
  '[::1]': { uriHost: '[::1]', addresses: ['::1'] },
  '::1': { uriHost: '[::1]', addresses: ['::1'] },
  localhost: { uriHost: 'localhost', addresses: ['127.0.0.1', '::1'] },
}

/**
 * The listening plan for a host option. Anything but a loopback name is refused: a redirect
 * receiver reachable from the network would hand the authorization code to whoever asks.
 */
export function planHost(host: string): HostPlan {
  const plan = Object.hasOwn(plans, host) ? plans[host as LoopbackHost] : undefined
  if (plan === undefined) {
    throw configError(
      `loopback host must be '127.0.0.1', '[::1]' or 'localhost', not ${JSON.stringify(host)}: the redirect receiver listens on this machine's loopback interface only.`,
    )
  }
  return plan
}

/** How a bound address is written in a URL's authority: IPv6 literals in brackets. */
export function uriHostOf(address: '127.0.0.1' | '::1'): string {
  return address === '::1' ? '[::1]' : address
}
