/** Names of the provider's endpoints, as counted. */
export type EndpointName =
  | 'discovery'
  | 'authorization'
  | 'token'
  | 'revocation'
  | 'device_authorization'
  | 'userinfo'
  | 'jwks'
  | 'par'
  | 'interaction'
  | 'other'

const byPath: Record<string, EndpointName> = {
  '/.well-known/openid-configuration': 'discovery',
  '/auth': 'authorization',
  '/token': 'token',
  '/token/revocation': 'revocation',
  '/device/auth': 'device_authorization',
  '/me': 'userinfo',
  '/jwks': 'jwks',
  '/request': 'par',
}

/** Which counted endpoint a request path belongs to. */
export function endpointOf(path: string): EndpointName {
  if (path.startsWith('/interaction/')) return 'interaction'
  return byPath[path] ?? 'other'
}

/** Counts of requests per endpoint and of token grants per grant type and outcome. */
export class RequestCounters {
  readonly requests: Record<EndpointName, number> = {
    discovery: 0,
    authorization: 0,
    token: 0,
    revocation: 0,
    device_authorization: 0,
    userinfo: 0,
    jwks: 0,
    par: 0,
    interaction: 0,
    other: 0,
  }
  /** Successful token grants by `grant_type`, e.g. `refresh_token`. */
  readonly grants: Record<string, number> = {}
  /** Failed token grants by `grant_type` and error, e.g. `refresh_token:invalid_grant`. */
  readonly grantErrors: Record<string, number> = {}

  count(path: string): void {
    this.requests[endpointOf(path)]++
  }

  grant(grantType: string): void {
    this.grants[grantType] = (this.grants[grantType] ?? 0) + 1
  }

  grantError(grantType: string, error: string): void {
    const key = `${grantType}:${error}`
    this.grantErrors[key] = (this.grantErrors[key] ?? 0) + 1
  }

  /** Sets every count back to zero. */
  reset(): void {
    for (const key of Object.keys(this.requests) as EndpointName[]) this.requests[key] = 0
    for (const key of Object.keys(this.grants)) delete this.grants[key]
    for (const key of Object.keys(this.grantErrors)) delete this.grantErrors[key]
  }
}
