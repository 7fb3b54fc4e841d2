import type { CodeTransport } from '@keyway/core'
import { type PasteOptions, resolvePasteOptions } from './options.js'
import { PasteSession } from './session.js'

/**
 * A transport for machines without a browser (SSH sessions, containers, servers): it prints
 * the authorization URL, whole on its own line, with a hint; the person opens it on any
 * machine, approves, and pastes back the address the browser ended on (or just the code).
 *
 * Paste forgives outer whitespace, a CR, wrapping quotes and `&amp;`-escaped queries; it
 * checks a pasted address's `state` (and its `iss` when the provider promises one), tells the
 * person what was wrong with an unusable answer and asks again, up to `attempts` times. A
 * pasted `error=access_denied` ends the login with `access_denied`, any other provider error
 * with `provider_error`; input that ends fails it with `aborted`. The input is read only while
 * a login waits for it, and let go of afterwards.
 *
 * @throws `config_error` for an invalid `redirectUri` (out-of-band URIs included) or `attempts`.
 * @example
 * ```ts
 * import { createKeyway } from '@keyway/core'
 * import { paste } from '@keyway/paste'
 * const kw = createKeyway({ issuer, clientId, transport: paste() })
 * await kw.login()
 * ```
 */
export function paste(options: PasteOptions = {}): CodeTransport {
  const settings = resolvePasteOptions(options)
  return {
    kind: 'code',
    name: 'paste',
    async open({ signal, redirectUri }) {
      return new PasteSession(settings, redirectUri, signal)
    },
  }
}
