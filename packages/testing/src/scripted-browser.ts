/** What the scripted person does at the provider. */
export interface ScriptedConsent {
  /** The name to sign in with. Default `alice`. */
  readonly login?: string
  /** Allow or deny at the consent page. Default `allow`. */
  readonly decision?: 'allow' | 'deny'
  /**
   * Follow the provider's final redirect to the app's redirect URI (as a browser does, which
   * reaches a loopback server), or stop before it and only report where it points. Default true.
   */
  readonly followRedirect?: boolean
  /** Gives up on the whole walk. */
  readonly signal?: AbortSignal
}

/** Where the walk ended. */
export interface ScriptedResult {
  /** The redirect to the app (with `code` or `error`), as the provider sent it. */
  readonly callbackUrl: URL
  /** What the app's redirect URI answered, when it was followed (redirects followed too). */
  readonly landed?: { readonly url: string; readonly status: number; readonly body: string }
}

const MAX_STEPS = 20

/**
 * A person with a browser, scripted over HTTP for the dev provider: opens the authorization
 * URL, keeps cookies, signs in, allows or denies, and follows the redirect back to the app.
 * It speaks only to the dev provider's own pages (`data-prompt` marks each form).
 */
export class ScriptedBrowser {
  readonly #cookies = new Map<string, string>()

  async #fetch(url: URL, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.#cookies.size > 0) {
      headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const index = pair?.indexOf('=') ?? -1
      if (pair && index > 0) {
        const name = pair.slice(0, index).trim()
        const value = pair.slice(index + 1).trim()
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) {
          this.#cookies.delete(name)
        } else {
          this.#cookies.set(name, value)
        }
      }
    }
    return response
  }

  /** Walks an authorization URL to its end; see {@link ScriptedConsent}. */
  async authorize(
    authorizationUrl: string | URL,
    script: ScriptedConsent = {},
  ): Promise<ScriptedResult> {
    const providerOrigin = new URL(authorizationUrl).origin
    let url = new URL(authorizationUrl)
    let init: RequestInit = { method: 'GET' }
    for (let step = 0; step < MAX_STEPS; step++) {
      const response = await this.#fetch(url, {
        ...init,
        ...(script.signal ? { signal: script.signal } : {}),
      })
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel()
        const next = new URL(location, url)
        if (next.origin !== providerOrigin) {
          return script.followRedirect === false
            ? { callbackUrl: next }
            : { callbackUrl: next, landed: await this.#land(next, script.signal) }
        }
        url = next
        init = { method: 'GET' }
        continue
      }
      const html = await response.text()
      const form = nextForm(html, url, script)
      if (form === undefined) {
        const text = html
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 300)
        throw new Error(
          `The provider showed a page the script does not know (HTTP ${response.status}) at ${url.pathname}: ${text}`,
        )
      }
      url = form.action
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.body.toString(),
      }
    }
    throw new Error('The authorization did not end within 20 steps.')
  }

  /** Follows the redirect to the app the way a browser does, through its own redirects. */
  async #land(url: URL, signal?: AbortSignal) {
    let current = url
    for (let step = 0; step < MAX_STEPS; step++) {
      const response = await this.#fetch(current, { method: 'GET', ...(signal ? { signal } : {}) })
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel()
        current = new URL(location, current)
        continue
      }
      return { url: current.href, status: response.status, body: await response.text() }
    }
    throw new Error('The app redirected more than 20 times.')
  }
}

interface FormSubmission {
  readonly action: URL
  readonly body: URLSearchParams
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`, 'i')
    .exec(tag)?.[1]
    ?.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)))
    .replace(/&amp;/g, '&')
}

function hiddenInputs(html: string): URLSearchParams {
  const body = new URLSearchParams()
  for (const [tag] of html.matchAll(/<input[^>]*>/gi)) {
    const name = attribute(tag, 'name')
    if (name !== undefined && /type="hidden"/i.test(tag))
      body.set(name, attribute(tag, 'value') ?? '')
  }
  return body
}

function nextForm(html: string, base: URL, script: ScriptedConsent): FormSubmission | undefined {
  const prompt = /data-prompt="([^"]+)"/.exec(html)?.[1]
  const formTag = /<form[^>]*>/i.exec(html)?.[0]
  if (prompt === undefined || formTag === undefined) return undefined
  const action = new URL(attribute(formTag, 'action') ?? base.pathname, base)
  const body = hiddenInputs(html)
  switch (prompt) {
    case 'login':
      body.set('login', script.login ?? 'alice')
      return { action, body }
    case 'consent':
      body.set('decision', script.decision ?? 'allow')
      return { action, body }
    case 'device-confirm':
      body.set(script.decision === 'deny' ? 'abort' : 'confirm', 'yes')
      return { action, body }
    default:
      return undefined
  }
}
