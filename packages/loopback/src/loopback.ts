import { abortError, type CodeTransport } from '@keyway/core'
import { listen } from './listen.js'
import { type LoopbackOptions, resolveLoopbackOptions } from './options.js'

/**
 * The RFC 8252 loopback redirect receiver: for each login it listens on a loopback port
 * before the browser is opened, builds the redirect URI from the address it actually bound,
 * prints the authorization URL and opens the browser, and waits for the provider's redirect.
 *
 * Only a `GET` on the exact path with this login's `state` counts; anything else is a 404,
 * and a wrong `state` a 400, and the login keeps waiting; no request, however malformed, can
 * end it (one the receiver fails to handle gets a plain 400). `error=access_denied` ends it
 * at once (`access_denied`; any other error `provider_error`). The browser is sent on to a clean
 * `/done` or `/error` page once the code was exchanged or failed to be (the callback request
 * is held until then: the browser shows its progress, the history keeps only the final
 * page's URL, and no page says "signed in" before the tokens are saved). The servers then
 * close with all their sockets, at most 2 s later when the page is never fetched, so a
 * command-line program exits by itself.
 *
 * Options are checked here: a wrong one throws a `config_error` at once.
 *
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { loopback } from '@keyway/loopback'
 *
 * const kw = createKeyway({
 *   issuer: 'https://accounts.example.com',
 *   clientId: 'my-cli',
 *   scopes: ['openid', 'offline_access'],
 *   transport: loopback({ host: '127.0.0.1', port: 0, open: true }),
 * })
 * await kw.login({ timeout: 300_000 })
 * ```
 */
export function loopback(options: LoopbackOptions = {}): CodeTransport {
  const resolved = resolveLoopbackOptions(options)
  return {
    kind: 'code',
    name: 'loopback',
    async open({ signal }) {
      if (signal.aborted) throw abortError(signal)
      // The receiver (and the callback codecs it checks answers with) loads with the first
      // login: a program that only reads a stored token never pays for it.
      const { LoopbackSession } = await import('./session.js')
      const session = new LoopbackSession(
        await listen(resolved.host, resolved.port),
        resolved,
        signal,
      )
      if (signal.aborted) {
        await session.close()
        throw abortError(signal)
      }
      return session
    },
  }
}
