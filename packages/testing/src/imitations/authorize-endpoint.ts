import type { AuthorizationServer, Refusal } from './authorization-server.js'
import { type Answer, page, redirect } from './http.js'

/** How one provider's authorize endpoint differs from another's. */
export interface AuthorizeRules {
  /** The provider's own page for a redirect URI it refuses; undefined when it accepts it. */
  readonly refuse: (redirectUri: string | null) => Answer | undefined
  /** The text of the error page for a request the server refuses. */
  readonly errorText: (refusal: Refusal) => string
}

/**
 * An imitation's authorize endpoint, for a person who consented before: a refused redirect
 * URI gets the provider's error page (never a redirect to it); otherwise the request is
 * checked and answered with the redirect back carrying a code, or with an error page.
 */
export function answerAuthorize(
  server: AuthorizationServer,
  query: URLSearchParams,
  rules: AuthorizeRules,
): Answer {
  const refusal = rules.refuse(query.get('redirect_uri'))
  if (refusal !== undefined) return refusal
  const outcome = server.authorize(query)
  return outcome.ok ? redirect(outcome.value.redirect, {}) : page(400, rules.errorText(outcome))
}
