import type { KeywayError } from '@keyway/core'

/**
 * What every page is rendered from. Each value is already HTML-escaped, so a template puts it
 * in the page as it is.
 */
export interface PageData {
  /** The page's heading, e.g. `Signed in`. */
  readonly title: string
  /** The sentence that tells the person what happened and what to do. */
  readonly message: string
}

/** What the error page is rendered from; every value is already HTML-escaped. */
export interface ErrorPageData extends PageData {
  /** The {@link KeywayError} code, e.g. `access_denied`. */
  readonly code: string
  /** The provider's OAuth `error`, or an empty string. */
  readonly error: string
  /** The provider's `error_description`, or an empty string. */
  readonly errorDescription: string
}

/**
 * A page of one's own: a whole HTML document in which `{{name}}` stands for the value of that
 * name in the page's data (e.g. `{{message}}`), or a function from the data to the document.
 * Keep pages self-contained: they are served with a Content-Security-Policy that blocks
 * scripts and every asset from elsewhere, so the provider's text can never run.
 *
 * @example
 * ```ts
 * loopback({
 *   pages: {
 *     success: '<!doctype html><title>Done</title><h1>{{title}}</h1><p>Back to the terminal!</p>',
 *     error: (data) => `<!doctype html><title>Oops</title><p>${data.message} (${data.code})</p>`,
 *   },
 * })
 * ```
 */
export type PageTemplate<Data extends PageData> = string | ((data: Data) => string)

/** Replacements for the receiver's pages; each one left out keeps Keyway's own. */
export interface LoopbackPages {
  /** Shown at `/done` once the code was exchanged and the tokens saved. */
  readonly success?: PageTemplate<PageData>
  /** Shown at `/error` when the provider refused, the exchange failed, or the login ended. */
  readonly error?: PageTemplate<ErrorPageData>
  /** Answers (400) a callback whose `state` is not this login's: the flow keeps waiting. */
  readonly rejected?: PageTemplate<PageData>
  /** Answers (409) a second valid callback: the code is never exchanged twice. */
  readonly duplicate?: PageTemplate<PageData>
}

/** Escapes text for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

function escapeAll<Data extends PageData>(data: Data): Data {
  const escaped: Record<string, string> = {}
  for (const [name, value] of Object.entries(data)) escaped[name] = escapeHtml(String(value))
  return escaped as unknown as Data
}

function fill(template: string, data: PageData): string {
  const values = data as unknown as Readonly<Record<string, string>>
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? (values[name] ?? '') : placeholder,
  )
}

/** Keyway's own page: plain, readable, and with nothing fetched from anywhere. */
function layout(data: PageData, details = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${data.title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}.details{color:#555;font-size:.9rem}</style>
</head><body><main><h1>${data.title}</h1><p>${data.message}</p>${details}</main></body></html>
`
}

function render<Data extends PageData>(
  template: PageTemplate<Data> | undefined,
  data: Data,
  details: (escaped: Data) => string = () => '',
): string {
  const escaped = escapeAll(data)
  if (template === undefined) return layout(escaped, details(escaped))
  return typeof template === 'string' ? fill(template, escaped) : template(escaped)
}

/** Renders the pages of one receiver, with the app's replacements where it gave them. */
export class PageRenderer {
  readonly #pages: LoopbackPages

  constructor(pages: LoopbackPages = {}) {
    this.#pages = pages
  }

  /** The page at `/done`. */
  success(): string {
    return render(this.#pages.success, {
      title: 'Signed in',
      message: 'You are signed in. You can close this tab.',
    })
  }

  /** The page at `/error`, telling what `failure` was. */
  error(failure: KeywayError): string {
    const data: ErrorPageData = {
      title: 'Sign-in failed',
      message: failure.message,
      code: failure.code,
      error: failure.error ?? '',
      errorDescription: failure.errorDescription ?? '',
    }
    return render(
      this.#pages.error,
      data,
      (escaped) =>
        `<p>You can close this tab and try again from the app.</p><p class="details">Error code: ${escaped.code}</p>`,
    )
  }

  /** The answer to a callback that is not this login's. */
  rejected(): string {
    return render(this.#pages.rejected, {
      title: 'Not for this sign-in',
      message:
        'This answer does not belong to the sign-in in progress, so it was ignored. Go back to the app to continue.',
    })
  }

  /** The answer to a second callback of this login. */
  duplicate(): string {
    return render(this.#pages.duplicate, {
      title: 'Already received',
      message: 'This sign-in was already received. You can close this tab.',
    })
  }

  /** The answer to everything else. */
  notFound(): string {
    return layout({ title: 'Not found', message: 'There is nothing here.' })
  }

  /**
   * The answer to a request the receiver could not handle. Always Keyway's own page, never
   * the app's (an app's template may be what failed), and it says nothing of the request.
   */
  badRequest(): string {
    return layout({
      title: 'Bad request',
      message: 'This request could not be handled. The sign-in in progress is not affected.',
    })
  }
}
