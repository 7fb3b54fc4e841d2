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

/** What the scripted person does on a device grant's verification page. */
export interface ScriptedDeviceConsent extends Omit<ScriptedConsent, 'followRedirect'> {
  /** The code to type when the page asks for one (a verification URI without the code). */
  readonly userCode?: string
}

/** Where a device confirmation ended. */
export interface ScriptedDeviceResult {
  /** True when the provider said the device is connected. */
  readonly approved: boolean
  /** The text of the last page, e.g. the reason a code was refused. */
  readonly text: string
}

/** The page a walk stopped on, because no form on it is one the script fills in. */
interface FinalPage {
  readonly prompt: string | undefined
  readonly status: number
  readonly path: string
  readonly text: string
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
    const end = await this.#walk(new URL(authorizationUrl), script)
    if ('page' in end) {
      const { status, path, text } = end.page
      throw new Error(
        `The provider showed a page the script does not know (HTTP ${status}) at ${path}: ${text}`,
      )
    }
    const callbackUrl = end.redirect
    return script.followRedirect === false
      ? { callbackUrl }
      : { callbackUrl, landed: await this.#land(callbackUrl, script.signal) }
  }

  /**
   * Opens a device grant's verification URI (the complete one, or the bare one with
   * `userCode`), confirms or aborts the device, signs in and consents, and reports whether
   * the provider connected the device.
   */
  async confirmDevice(
    verificationUri: string | URL,
    script: ScriptedDeviceConsent = {},
  ): Promise<ScriptedDeviceResult> {
    const end = await this.#walk(new URL(verificationUri), script)
    if (!('page' in end)) {
      throw new Error(`The device confirmation redirected away to ${end.redirect.origin}.`)
    }
    return { approved: end.page.prompt === 'device-done', text: end.page.text }
  }

  /**
   * Follows the provider's redirects and fills in its forms until it redirects away from
   * its own origin, or shows a page with no form the script fills in.
   */
  async #walk(
    start: URL,
    script: ScriptedDeviceConsent,
  ): Promise<{ readonly redirect: URL } | { readonly page: FinalPage }> {
    const providerOrigin = start.origin
    let url = start
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
        if (next.origin !== providerOrigin) return { redirect: next }
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
        const prompt = /data-prompt="([^"]+)"/.exec(html)?.[1]
        return { page: { prompt, status: response.status, path: url.pathname, text } }
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

/** The hidden fields of a page, every one of them, as a browser sends them. */
function hiddenInputs(html: string): URLSearchParams {
  const body = new URLSearchParams()
  for (const [tag] of html.matchAll(/<input[^>]*>/gi)) {
    const name = attribute(tag, 'name')
    if (name !== undefined && /type="hidden"/i.test(tag))
      body.append(name, attribute(tag, 'value') ?? '')
  }
  return body
}

/**
 * Adds what a browser adds for the submit button labelled `label`: its `name` and `value`,
 * when it has a name. The page's own fields stay as they are, repeated or not, so a page whose
 * button repeats one of them fails here as it does in a browser.
 */
function clickButton(html: string, label: string, body: URLSearchParams): void {
  for (const [, attributes = '', text] of html.matchAll(/<button([^>]*)>([^<]*)<\/button>/gi)) {
    if (text?.trim() !== label) continue
    const name = attribute(attributes, 'name')
    if (name !== undefined) body.append(name, attribute(attributes, 'value') ?? '')
    return
  }
  throw new Error(`The page has no button labelled ${label}.`)
}

/** A page that submits its form by script as soon as it loads (oidc-provider's form_post). */
const selfSubmitting = /document\.forms\[0\]\.submit\(\)/

function nextForm(
  html: string,
  base: URL,
  script: ScriptedDeviceConsent,
): FormSubmission | undefined {
  const prompt = /data-prompt="([^"]+)"/.exec(html)?.[1]
  const formTag = /<form[^>]*>/i.exec(html)?.[0]
  if (formTag === undefined) return undefined
  const action = new URL(attribute(formTag, 'action') ?? base.pathname, base)
  const body = hiddenInputs(html)
  if (prompt === undefined) return selfSubmitting.test(html) ? { action, body } : undefined
  switch (prompt) {
    case 'login':
      body.set('login', script.login ?? 'alice')
      return { action, body }
    case 'consent':
      body.set('decision', script.decision ?? 'allow')
      return { action, body }
    case 'device-confirm':
      clickButton(html, script.decision === 'deny' ? 'Abort' : 'Continue', body)
      return { action, body }
    case 'device-input':
      // A page that says the code did not work is where the walk ends, not a form to retry.
      if (script.userCode === undefined || /role="alert"/.test(html)) return undefined
      body.set('user_code', script.userCode)
      return { action, body }
    default:
      return undefined
  }
}
