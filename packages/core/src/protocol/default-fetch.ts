import { configError } from '../errors.js'
import { ProtocolErrorCause } from './error-cause.js'
import type { Fetch } from './fetch.js'

/**
 * The variables that send provider requests through a proxy, as curl and most tools read
 * them: `HTTPS_PROXY` for https:// requests, `HTTP_PROXY` for http:// ones (a loopback dev
 * provider), in either case; `NO_PROXY` names the hosts that are reached directly.
 */
export const proxyVariables: readonly string[] = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
]

/** True when a proxy variable is set (not empty) in `env`. */
export function usesProxy(env: NodeJS.ProcessEnv): boolean {
  return proxyVariables.some((name) => (env[name] ?? '') !== '')
}

/** The first of `names` set (not empty) in `env`, or '' (undici then reads nothing else). */
function variable(env: NodeJS.ProcessEnv, ...names: string[]): string {
  for (const name of names) {
    const value = env[name]
    if (value !== undefined && value !== '') return value
  }
  return ''
}

/** undici's dispatcher, opaque here: the global `fetch` takes it as `dispatcher`. */
type Dispatcher = object

/**
 * undici's `EnvHttpProxyAgent` for the proxy variables of `env`, lower case first as curl
 * reads them. A plain http:// request goes to the proxy in absolute form, as curl sends it;
 * an https:// one through a `CONNECT` tunnel. With `HTTP_PROXY` alone, undici sends https://
 * requests through it too.
 */
async function loadProxyDispatcher(env: NodeJS.ProcessEnv): Promise<Dispatcher> {
  let undici: typeof import('undici')
  try {
    undici = await import('undici')
  } catch (cause) {
    throw configError(
      'A proxy variable (HTTPS_PROXY or HTTP_PROXY) is set, but the undici package that ' +
        'Keyway reaches proxies with could not be loaded.',
      new ProtocolErrorCause(cause as Error),
    )
  }
  try {
    return new undici.EnvHttpProxyAgent({
      httpProxy: variable(env, 'http_proxy', 'HTTP_PROXY'),
      httpsProxy: variable(env, 'https_proxy', 'HTTPS_PROXY'),
      noProxy: variable(env, 'no_proxy', 'NO_PROXY'),
      proxyTunnel: false,
    })
  } catch (cause) {
    // The message of a URL error repeats the URL, which may hold the proxy's password.
    throw configError('HTTPS_PROXY or HTTP_PROXY does not hold a valid proxy URL.', {
      name: (cause as Error).name,
    })
  }
}

/**
 * The `fetch` Keyway uses when the app gives none: the global `fetch`, looked up when each
 * request is made (so an app's own instrumentation of it sees every request), with undici's
 * `EnvHttpProxyAgent` as its `dispatcher` while a proxy variable is set. undici is loaded on
 * the first such request only; without a proxy variable it is never loaded. The variables
 * (`NO_PROXY` too) are read when that first request is made; a `fetch` made by another call
 * reads them anew.
 *
 * @param env - the environment variables, `process.env` by default.
 */
export function defaultFetch(env: NodeJS.ProcessEnv = process.env): Fetch {
  let dispatcher: Promise<Dispatcher> | undefined
  return async (input, init) => {
    if (!usesProxy(env)) return globalThis.fetch(input, init)
    if (dispatcher === undefined) {
      const loading = loadProxyDispatcher(env)
      dispatcher = loading
      loading.catch(() => {
        if (dispatcher === loading) dispatcher = undefined
      })
    }
    // Node's fetch takes a `dispatcher` that its own `RequestInit` type does not name.
    return globalThis.fetch(input, { ...init, dispatcher: await dispatcher } as RequestInit)
  }
}
