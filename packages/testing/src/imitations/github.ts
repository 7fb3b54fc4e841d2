import {
  AuthorizationServer,
  type Client,
  type Issued,
  type Outcome,
} from './authorization-server.js'
import { answerAuthorize } from './authorize-endpoint.js'
import {
  type Answer,
  bearerToken,
  formAnswer,
  type Imitation,
  json,
  page,
  type Received,
  startImitation,
} from './http.js'

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
/** The login of the person the imitation's tokens belong to. */
export const GITHUB_LOGIN = 'imitation-octocat'
/** What the device grant's polling gets, in order, before the person approves. */
export type DevicePollAnswer = 'authorization_pending' | 'slow_down'

/** Options of {@link startGitHub}. */
export interface GitHubOptions {
  /**
   * A GitHub App with expiring user tokens: 8-hour access tokens and a rotating refresh token.
   * Otherwise an OAuth App: tokens with no expiry and no refresh token.
   */
  readonly expiringUserTokens?: boolean
  /** The device polls answered with these errors, in order, before the approval. */
  readonly devicePolls?: readonly DevicePollAnswer[]
  /** The polling interval the device endpoint asks for, in seconds. */
  readonly deviceInterval?: number
}

/** A GitHub imitation and the authorization server behind it. */
export interface GitHubImitation extends Imitation {
  readonly server: AuthorizationServer
  readonly client: Required<Client>
  /** What each device poll was answered, in order: an error, or `tokens`. */
  readonly devicePolls: string[]
}

/** JSON when the request accepts it, else the form encoding GitHub defaults to. */
function githubAnswer(request: Received, body: Readonly<Record<string, unknown>>): Answer {
  const wantsJson = (request.headers.accept ?? '').includes('application/json')
  // GitHub answers 200 whatever happened, errors included.
  return wantsJson ? json(200, body) : formAnswer(200, body)
}

function tokenBody(outcome: Outcome<Issued>): Record<string, unknown> {
  if (!outcome.ok) return { error: outcome.error, error_description: outcome.description }
  const { accessToken, refreshToken, authorization } = outcome.value
  return {
    access_token: accessToken,
    token_type: 'bearer',
    scope: authorization.scopes.join(','),
    ...(refreshToken === undefined
      ? {}
      : { expires_in: 28_800, refresh_token: refreshToken, refresh_token_expires_in: 15_897_600 }),
  }
}

/** GitHub's page for a redirect URI outside the registered callback URL. */
function refusedRedirect(value: string | null): Answer | undefined {
  const uri = URL.canParse(value ?? '') ? new URL(value ?? '') : undefined
  // Registered: http://127.0.0.1/callback. On loopback any port matches; the path may go deeper.
  const matches = uri?.hostname === '127.0.0.1' && uri.pathname.startsWith('/callback')
  return matches
    ? undefined
    : page(400, 'The redirect_uri MUST match the registered callback URL for this application.')
}

/**
 * Imitates GitHub's OAuth endpoints (`/login/oauth/authorize`, `/login/oauth/access_token`,
 * `/login/device/code`): no discovery; every answer of the token and device endpoints is
 * HTTP 200, errors included (`incorrect_client_credentials`, `bad_verification_code`,
 * `bad_refresh_token`, and device polling's `authorization_pending` and `slow_down`), and
 * form-encoded unless the request accepts `application/json`; `scope` comes back
 * comma-separated; the code and refresh grants need the client secret (in the body), the
 * device grant does not; refresh tokens only for a GitHub App with expiring user tokens,
 * rotating on each refresh. The person at the authorize endpoint consented before, and
 * approves a device after the configured polls.
 *
 * It imitates the REST API (`api.github.com`) on the same base too: `GET /user` answers a
 * token the imitation issued with the person's profile (login {@link GITHUB_LOGIN}), and
 * anything else with 401 `Bad credentials`.
 */
export async function startGitHub(options: GitHubOptions = {}): Promise<GitHubImitation> {
  const client = { id: 'Iv1.imitation0client', secret: 'github-client-secret' }
  const server = new AuthorizationServer({
    client,
    prefixes: { access: 'ghu_access', refresh: 'ghr_refresh', code: 'github-code-' },
    secretRequired: (grantType) => grantType !== DEVICE_GRANT,
    issuesRefreshToken: () => options.expiringUserTokens === true,
    rotatesRefreshTokens: true,
    errorNames: {
      invalidClient: 'incorrect_client_credentials',
      invalidCode: 'bad_verification_code',
      invalidRefreshToken: 'bad_refresh_token',
      missingSecret: {
        error: 'incorrect_client_credentials',
        description: 'The client_id and/or client_secret passed are incorrect.',
      },
    },
  })
  const polls = [...(options.devicePolls ?? [])]
  const devicePolls: string[] = []
  const interval = options.deviceInterval ?? 5
  const deviceCodes = new Map<string, URLSearchParams>()

  const pollDevice = (request: Received): Record<string, unknown> => {
    const auth = server.authenticate(request)
    const deviceRequest = deviceCodes.get(request.form.get('device_code') ?? '')
    if (!auth.ok || deviceRequest === undefined) {
      devicePolls.push('incorrect_device_code')
      return {
        error: 'incorrect_device_code',
        error_description: 'The device_code provided is not valid.',
      }
    }
    const error = polls.shift()
    devicePolls.push(error ?? 'tokens')
    if (error === 'slow_down') return { error, interval: interval + 5 }
    if (error !== undefined) return { error }
    deviceCodes.delete(request.form.get('device_code') ?? '')
    const scopes = (deviceRequest.get('scope') ?? '').split(' ').filter(Boolean)
    const authorization = {
      clientId: client.id,
      redirectUri: '',
      scopes,
      query: deviceRequest,
      codeChallenge: undefined,
    }
    return tokenBody({ ok: true, value: server.issue(authorization, auth.value, DEVICE_GRANT) })
  }

  const user = (request: Received): Answer => {
    if (server.grantOf(bearerToken(request)) === undefined) {
      return json(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      })
    }
    return json(200, { login: GITHUB_LOGIN, id: 583231, type: 'User', name: 'Imitation Octocat' })
  }

  const imitation = await startImitation((request, base) => {
    const path = request.url.pathname
    if (path === '/login/oauth/authorize' && request.method === 'GET') {
      return answerAuthorize(server, request.url.searchParams, {
        refuse: refusedRedirect,
        errorText: (refusal) => refusal.description,
      })
    }
    if (path === '/user' && request.method === 'GET') return user(request)
    if (request.method !== 'POST') return undefined
    if (path === '/login/oauth/access_token') {
      const isDevice = request.form.get('grant_type') === DEVICE_GRANT
      return githubAnswer(
        request,
        isDevice ? pollDevice(request) : tokenBody(server.token(request)),
      )
    }
    if (path === '/login/device/code') {
      if (request.form.get('client_id') !== client.id) {
        return githubAnswer(request, { error: 'unauthorized_client' })
      }
      const deviceCode = `device-${deviceCodes.size + 1}`
      deviceCodes.set(deviceCode, request.form)
      return githubAnswer(request, {
        device_code: deviceCode,
        user_code: 'WDJB-MJHT',
        verification_uri: `${base}/login/device`,
        expires_in: 900,
        interval,
      })
    }
    return undefined
  })
  return { ...imitation, server, client, devicePolls }
}
