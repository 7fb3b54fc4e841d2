import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Configuration, KoaContextWithOIDC, errors as ProviderErrors } from 'oidc-provider'
import { DevStorage } from './adapter.js'
import { RequestCounters } from './counters.js'
import { devicePages } from './device-pages.js'
import { handleInteraction } from './interactions.js'
import { generateSigningKey } from './keys.js'
import { escapeHtml, page } from './pages.js'

/** Options of {@link startDevProvider}. Times are milliseconds. */
export interface DevProviderOptions {
  /** Port to listen on, on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number
  /** Access token lifetime. Default one hour. */
  readonly accessTokenTtl?: number
  /** ID token lifetime. Default one hour. */
  readonly idTokenTtl?: number
  /** Refresh token lifetime. Default 14 days. */
  readonly refreshTokenTtl?: number
  /** Device code lifetime. Default 10 minutes. */
  readonly deviceCodeTtl?: number
  /** The polling interval the device endpoint asks for. Default 1 000. */
  readonly deviceInterval?: number
  /** Rotate refresh tokens on every use (reuse then revokes the grant). Default true. */
  readonly rotateRefreshTokens?: boolean
  /** Issue refresh tokens at all. Default true. */
  readonly issueRefreshTokens?: boolean
  /**
   * Require pushed authorization requests (RFC 9126) of every client, and say so in the
   * metadata (`require_pushed_authorization_requests`). Default false: only the `par`
   * client requires them.
   */
  readonly requirePushedAuthorizationRequests?: boolean
  /**
   * The resource servers (RFC 8707 resource indicators, absolute URIs) the provider issues
   * access tokens for: a token asked for one of them is a JWT whose `aud` is it, with the
   * scopes `api:read` and `api:write` at most. Any other `resource` is `invalid_target`.
   */
  readonly resourceServers?: readonly string[]
  /**
   * Make every DPoP proof at the provider carry a nonce it issued (RFC 9449 §8): a proof
   * without one is answered `use_dpop_nonce` with a `DPoP-Nonce`. Default false.
   */
  readonly requireDPoPNonce?: boolean
  /**
   * Whether the provider knows DPoP at all. Default true (oidc-provider 9 has it on). With
   * false it is a provider that predates RFC 9449: it ignores a `DPoP` proof and issues
   * Bearer tokens (the `dpop` client, which requires DPoP, cannot then log in).
   */
  readonly dpop?: boolean
}

/** The clients the dev provider knows, by role. */
export const devClients = {
  /** A public native client: PKCE only, any loopback redirect port (RFC 8252 §7.3). */
  native: { clientId: 'keyway-native' },
  /** A confidential client, authenticated with client_secret_basic or _post. */
  confidential: {
    clientId: 'keyway-confidential',
    clientSecret: 'keyway-dev-secret-not-for-production',
  },
  /** A public native client whose access tokens must be DPoP-bound (RFC 9449). */
  dpop: { clientId: 'keyway-dpop' },
  /** A public native client that must push its authorization requests (RFC 9126). */
  par: { clientId: 'keyway-par' },
} as const

/** A running dev provider. */
export interface DevProvider {
  /** The issuer URL, e.g. `http://127.0.0.1:41234/`; discovery works from it. */
  readonly issuer: string
  readonly port: number
  readonly clients: typeof devClients
  /** Requests per endpoint and grants per type, for assertions. */
  readonly counters: RequestCounters
  /** Revokes every grant, as an administrator would: their tokens stop working at once. */
  revokeAllGrants(): void
  /** The ids of the grants that still exist. */
  grantIds(): string[]
  /** Stops the server and closes every socket. */
  close(): Promise<void>
}

const loopbackRedirects = [
  'http://127.0.0.1/callback',
  'http://[::1]/callback',
  'http://localhost/callback',
]

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code'

function configuration(
  options: DevProviderOptions,
  storage: DevStorage,
  errors: typeof ProviderErrors,
): Configuration {
  const seconds = (ms: number | undefined, fallback: number) =>
    ms === undefined ? fallback : Math.max(1, Math.ceil(ms / 1000))
  const grantTypes = ['authorization_code', 'refresh_token', deviceGrant]
  return {
    adapter: storage.adapterFor(),
    clients: [
      {
        client_id: devClients.native.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: loopbackRedirects,
        grant_types: grantTypes,
        response_types: ['code'],
      },
      {
        client_id: devClients.confidential.clientId,
        client_secret: devClients.confidential.clientSecret,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: loopbackRedirects,
        grant_types: grantTypes,
        response_types: ['code'],
      },
      {
        client_id: devClients.dpop.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: loopbackRedirects,
        grant_types: grantTypes,
        response_types: ['code'],
        dpop_bound_access_tokens: true,
      },
      {
        client_id: devClients.par.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: loopbackRedirects,
        grant_types: grantTypes,
        response_types: ['code'],
        require_pushed_authorization_requests: true,
      },
      {
        client_id: `${devClients.confidential.clientId}-post`,
        client_secret: devClients.confidential.clientSecret,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: loopbackRedirects,
        grant_types: grantTypes,
        response_types: ['code'],
      },
    ],
    jwks: { keys: [generateSigningKey()] },
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: grantTypes },
    cookies: { keys: [`keyway-dev-${Math.random().toString(36).slice(2)}`] },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'],
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub, email: `${sub}@example.test`, email_verified: true }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: { enabled: true, ...devicePages },
      revocation: { enabled: true, allowedPolicy: async () => true },
      introspection: {
        enabled: true,
        // oidc-provider's own policy, stated: a public client may ask only about its own tokens.
        allowedPolicy: async (ctx, client, token) =>
          client.clientAuthMethod !== 'none' || token.clientId === ctx.oidc.client?.clientId,
      },
      userinfo: { enabled: true },
      // DPoP (RFC 9449) is on by default in oidc-provider 9; the `dpop` client requires it.
      ...(options.requireDPoPNonce === true
        ? { dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true } }
        : {}),
      ...(options.dpop === false ? { dPoP: { enabled: false } } : {}),
      pushedAuthorizationRequests: {
        enabled: true,
        requirePushedAuthorizationRequests: options.requirePushedAuthorizationRequests === true,
      },
      resourceIndicators: resourceIndicators(options.resourceServers ?? [], errors),
    },
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx, client) =>
      options.issueRefreshTokens !== false && client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: options.rotateRefreshTokens !== false,
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: seconds(options.accessTokenTtl, 3600),
      AuthorizationCode: 60,
      IdToken: seconds(options.idTokenTtl, 3600),
      RefreshToken: seconds(options.refreshTokenTtl, 14 * 24 * 3600),
      DeviceCode: seconds(options.deviceCodeTtl, 600),
      Grant: 14 * 24 * 3600,
      Interaction: 600,
      Session: 14 * 24 * 3600,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html'
      ctx.body = page(
        'The provider refused the request',
        `<p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p>`,
      )
    },
  }
}

/** The resource indicators feature, serving `servers` with JWT access tokens. */
function resourceIndicators(servers: readonly string[], errors: typeof ProviderErrors) {
  return {
    enabled: true,
    defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: readonly string[]) => oneOf,
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
      if (!servers.includes(indicator)) throw new errors.InvalidTarget()
      return {
        scope: 'api:read api:write',
        audience: indicator,
        accessTokenFormat: 'jwt' as const,
        jwt: { sign: { alg: 'ES256' as const } },
      }
    },
  }
}

/**
 * Loads oidc-provider without its "unsupported runtime" warning: it asks for Node 22, works
 * on Node 20 as used here, and the warning would only alarm a newcomer running the demo.
 */
async function importProvider() {
  const warn = console.warn
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args)
  }
  try {
    return await import('oidc-provider')
  } finally {
    console.warn = warn
  }
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number) {
  const server = createServer(handler)
  return new Promise<typeof server>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

/**
 * Starts a real OpenID Provider (oidc-provider) on a 127.0.0.1 port for development and tests:
 * discovery, PKCE, a public native client and a confidential one, refresh-token rotation,
 * revocation and the device flow, with its own login and consent pages (any name signs in).
 *
 * @example
 * ```ts
 * const dev = await startDevProvider({ accessTokenTtl: 60_000 })
 * const kw = createKeyway({ issuer: dev.issuer, clientId: dev.clients.native.clientId, … })
 * await dev.close()
 * ```
 */
export async function startDevProvider(options: DevProviderOptions = {}): Promise<DevProvider> {
  const { default: Provider, errors } = await importProvider()
  const counters = new RequestCounters()
  const storage = new DevStorage()
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end()
  }
  const server = await listen((req, res) => handle(req, res), options.port ?? 0)
  const { port } = server.address() as AddressInfo
  const issuer = `http://127.0.0.1:${port}`
  const provider = new Provider(issuer, configuration(options, storage, errors))
  const interval = Math.max(0.001, (options.deviceInterval ?? 1000) / 1000)
  provider.use(async (ctx, next) => {
    await next()
    if (ctx.path === '/device/auth' && ctx.status === 200 && typeof ctx.body === 'object') {
      ctx.body = { ...(ctx.body as object), interval }
    }
  })
  provider.on('grant.success', (ctx: KoaContextWithOIDC) =>
    counters.grant(String(ctx.oidc.params?.grant_type)),
  )
  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: { error?: string }) =>
    counters.grantError(String(ctx.oidc.params?.grant_type), String(error.error)),
  )
  const callback = provider.callback()
  handle = (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname
    counters.count(path)
    if (path.startsWith('/interaction/')) {
      void handleInteraction(provider, req, res)
      return
    }
    void callback(req, res)
  }
  return {
    issuer,
    port,
    clients: devClients,
    counters,
    revokeAllGrants: () => {
      for (const id of storage.grantIds()) storage.revokeGrant(id)
    },
    grantIds: () => storage.grantIds(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
