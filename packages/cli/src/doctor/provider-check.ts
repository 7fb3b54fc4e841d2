import type { Fetch } from '@keyway/core'
import type { Settings } from '../config/settings.js'
import { protocolOptions } from '../session.js'
import { type CheckResult, check } from './check.js'

/** When the provider said it was, by its `Date` header, against this machine's clock. */
export interface ProviderTime {
  /** The `Date` header, in epoch ms (whole seconds). */
  readonly server: number
  /** This machine's clock half-way through the request, in epoch ms. */
  readonly local: number
}

const REQUEST_LIMIT = 10_000

/** The provider's answer to one GET, with its time and how long it took. */
async function probe(fetch: Fetch, url: string, signal: AbortSignal) {
  const sent = Date.now()
  const response = await fetch(url, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_LIMIT)]),
  })
  const received = Date.now()
  const date = Date.parse(response.headers.get('date') ?? '')
  const time = Number.isNaN(date) ? undefined : { server: date, local: (sent + received) / 2 }
  return { response, took: received - sent, time }
}

function endpointLine(label: string, url: unknown, missing: string): string {
  return typeof url === 'string' ? `${label}: ${url}` : `${label}: none (${missing})`
}

async function checkDiscovery(fetch: Fetch, issuer: string, signal: AbortSignal) {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  const { response, took, time } = await probe(fetch, url, signal)
  if (!response.ok) {
    return {
      result: check('provider', 'fail', `discovery at ${url} answered HTTP ${response.status}`),
      time,
    }
  }
  const metadata = (await response.json().catch(() => undefined)) as
    | Record<string, unknown>
    | undefined
  if (metadata === undefined || typeof metadata !== 'object') {
    return { result: check('provider', 'fail', `discovery at ${url} did not answer JSON`), time }
  }
  const pkce = metadata.code_challenge_methods_supported
  const s256 = Array.isArray(pkce) && pkce.includes('S256')
  const details = [
    endpointLine('authorization', metadata.authorization_endpoint, 'logins cannot work'),
    endpointLine('token', metadata.token_endpoint, 'logins cannot work'),
    endpointLine('revocation', metadata.revocation_endpoint, 'logout only removes the tokens here'),
    endpointLine(
      'device',
      metadata.device_authorization_endpoint,
      'login --device is not available',
    ),
    `PKCE S256: ${s256 ? 'advertised' : 'not advertised (Keyway sends it anyway)'}`,
  ]
  const issuerMatches = metadata.issuer === issuer || metadata.issuer === issuer.replace(/\/+$/, '')
  if (!issuerMatches) {
    const summary = `discovery names another issuer: ${String(metadata.issuer)}`
    return { result: check('provider', 'fail', summary, details), time }
  }
  const complete =
    typeof metadata.authorization_endpoint === 'string' &&
    typeof metadata.token_endpoint === 'string'
  const status = complete ? (s256 ? 'ok' : 'warn') : 'fail'
  return {
    result: check('provider', status, `discovery answered in ${took} ms: ${url}`, details),
    time,
  }
}

/**
 * Asks the provider for its discovery document (or, for a preset with fixed endpoints, reaches
 * its token endpoint), lists the endpoints, and notes the provider's `Date` for the clock check.
 */
export async function checkProvider(
  settings: Settings,
  fetch: Fetch,
  signal: AbortSignal,
): Promise<{ readonly result: CheckResult; readonly time?: ProviderTime | undefined }> {
  const options = protocolOptions(settings)
  try {
    if (options.issuer !== undefined)
      return await checkDiscovery(fetch, String(options.issuer), signal)
    const endpoints = options.endpoints!
    const { response, took, time } = await probe(fetch, endpoints.token, signal)
    const details = Object.entries(endpoints).map(([name, url]) => `${name}: ${url}`)
    const summary = `the token endpoint answered (HTTP ${response.status}) in ${took} ms; no discovery for ${settings.provider.value}`
    return { result: check('provider', 'ok', summary, details), time }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    const why = error instanceof Error ? error.message : String(error)
    return {
      result: check(
        'provider',
        'fail',
        `the provider cannot be reached: ${why}${cause ? ` (${cause})` : ''}`,
      ),
    }
  }
}
