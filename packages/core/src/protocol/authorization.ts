import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { DPoPOptions } from 'openid-client'
import { checkCallback, parseCallbackParams } from '../codecs/callback.js'
import type { Callback } from '../ports/transport.js'
import type { LoadedProtocol } from './loaded-protocol.js'
import { withResources } from './resources.js'

/** One authorization attempt: what was sent, and what its answer must match. */
export interface AuthorizationAttempt {
  readonly url: URL
  readonly redirectUri: string
  readonly state: string
  readonly codeVerifier: string
  readonly issuer: string
  readonly issRequired: boolean
}

/** True when the person asked for OpenID Connect, so an ID token must come back and be valid. */
function wantsIdToken(loaded: LoadedProtocol): boolean {
  return loaded.settings.scopes.includes('openid')
}

/** True when the authorization request goes by PAR: the app asked, or the provider requires it. */
function usesPar(loaded: LoadedProtocol): boolean {
  return (
    loaded.settings.pushedAuthorization ||
    loaded.config.serverMetadata().require_pushed_authorization_requests === true
  )
}

/**
 * Builds the authorization request: PKCE S256 and a fresh `state` on every attempt; the
 * parameters go in the URL, or by PAR when the app opted in or the provider requires it.
 */
export async function beginAuthorization(
  loaded: LoadedProtocol,
  redirectUri: string,
): Promise<AuthorizationAttempt> {
  const { oidc, config, settings } = loaded
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const parameters: Record<string, string> = {
    ...settings.authorizationParams,
    redirect_uri: redirectUri,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
  }
  if (settings.scopes.length > 0) parameters.scope = settings.scopes.join(' ')
  const request = withResources(parameters, settings.authorizationResources)
  const url = usesPar(loaded)
    ? await oidc.buildAuthorizationUrlWithPAR(config, request)
    : oidc.buildAuthorizationUrl(config, request)
  const metadata = config.serverMetadata()
  return {
    url,
    redirectUri,
    state,
    codeVerifier,
    issuer: metadata.issuer,
    issRequired: metadata.authorization_response_iss_parameter_supported === true,
  }
}

/**
 * The code an answer carries, once it has passed the checks that keep a login safe (see
 * `checkCallback`): a wrong `state`, a provider `error` or a foreign `iss` throws. A bare
 * pasted code stands for a response whose `state` and `iss` the person vouched for by
 * pasting it.
 */
export function checkedCode(attempt: AuthorizationAttempt, callback: Callback): string {
  return pipe(
    callback.kind === 'code'
      ? E.right(callback.code.trim())
      : pipe(
          parseCallbackParams(callback.url.searchParams),
          E.flatMap((params) => checkCallback(params, attempt)),
        ),
    E.getOrElseW((error) => {
      throw error
    }),
  )
}

/**
 * Rebuilds the authorization response on the redirect URI this attempt sent, from the checked
 * `code` only: a pasted URL's host or path never reaches the token request.
 */
function responseUrl(attempt: AuthorizationAttempt, callback: Callback, code: string): URL {
  const url = new URL(attempt.redirectUri)
  url.searchParams.set('code', code)
  url.searchParams.set('state', attempt.state)
  if (
    attempt.issRequired ||
    (callback.kind === 'redirect' && callback.url.searchParams.has('iss'))
  ) {
    url.searchParams.set('iss', attempt.issuer)
  }
  return url
}

/**
 * Redeems the authorization code at the token endpoint, with the resource indicators and,
 * given `dpop`, a proof of possession of its key; resolves with the raw response.
 */
export async function exchangeCode(
  loaded: LoadedProtocol,
  attempt: AuthorizationAttempt,
  callback: Callback,
  code: string,
  dpop?: DPoPOptions,
): Promise<unknown> {
  const { oidc, config, settings } = loaded
  return oidc.authorizationCodeGrant(
    config,
    responseUrl(attempt, callback, code),
    {
      pkceCodeVerifier: attempt.codeVerifier,
      expectedState: attempt.state,
      idTokenExpected: wantsIdToken(loaded),
    },
    withResources({}, settings.tokenResources),
    dpop,
  )
}
