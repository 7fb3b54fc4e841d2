import type { IncomingMessage, ServerResponse } from 'node:http'
import type Provider from 'oidc-provider'
import { consentPage, escapeHtml, loginPage, page } from './pages.js'

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(html)
}

async function grantConsent(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res)
  const { prompt, params, session, grantId } = details
  const accountId = session?.accountId
  if (accountId === undefined) throw new Error('consent without a signed-in account')
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId, clientId: String(params.client_id) })
  if (grant === undefined) throw new Error('the interaction names a grant that does not exist')
  const missing = prompt.details as {
    missingOIDCScope?: string[]
    missingOIDCClaims?: string[]
    missingResourceScopes?: Record<string, string[]>
  }
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '))
  }
  return { consent: { grantId: await grant.save() } }
}

/**
 * Serves the provider's own login and consent pages under `/interaction/:uid`, as a real
 * provider would, so a browser (or the scripted one) can sign in, allow, or deny.
 */
export async function handleInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const [, , uid, action] = url.pathname.split('/')
  try {
    if (req.method === 'GET' && uid !== undefined && action === undefined) {
      const details = await provider.interactionDetails(req, res)
      const client = String(details.params.client_id)
      if (details.prompt.name === 'login') return sendHtml(res, 200, loginPage(details.uid, client))
      const scopes = String(details.params.scope ?? '')
        .split(' ')
        .filter(Boolean)
      return sendHtml(res, 200, consentPage(details.uid, client, scopes))
    }
    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req)
      const login = form.get('login')?.trim() || 'alice'
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login } },
        { mergeWithLastSubmission: false },
      )
      return
    }
    if (req.method === 'POST' && action === 'confirm') {
      const form = await readForm(req)
      const result =
        form.get('decision') === 'deny'
          ? { error: 'access_denied', error_description: 'The person declined the request.' }
          : await grantConsent(provider, req, res)
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true })
      return
    }
    sendHtml(res, 404, page('Not found', '<p>No such interaction step.</p>'))
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unknown error'
    sendHtml(res, 400, page('Sign-in failed', `<p>${escapeHtml(message)}</p>`))
  }
}
