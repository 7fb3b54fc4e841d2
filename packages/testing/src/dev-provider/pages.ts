/** Escapes text for HTML: every page here shows values that came from a request. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A minimal, self-contained page: no external assets, so a closed network changes nothing. */
export function page(title: string, body: string, prompt?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1rem;margin:.25rem}input{font:inherit;padding:.4rem;width:100%}</style>
</head><body${prompt ? ` data-prompt="${escapeHtml(prompt)}"` : ''}><h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

/** The login form: any name signs in, as in a development provider. */
export function loginPage(uid: string, client: string): string {
  return page(
    'Sign in to the Keyway dev provider',
    `<p>${escapeHtml(client)} asks you to sign in. Any name works here.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Name <input name="login" value="alice" autofocus></label>
<button type="submit" name="action" value="login">Sign in</button></form>`,
    'login',
  )
}

/** The consent form, with Allow and Deny. */
export function consentPage(uid: string, client: string, scopes: readonly string[]): string {
  const list = scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('')
  return page(
    'Allow access?',
    `<p>${escapeHtml(client)} asks for:</p><ul>${list}</ul>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
    'consent',
  )
}
