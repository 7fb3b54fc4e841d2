/** What stands in for a secret in traces, reports and messages. */
export const MASK = '****'

/**
 * Parameter and field names whose values are secrets: tokens, codes, verifiers, client
 * secrets and assertions. The device grant's `user_code` is shown to the person on purpose,
 * but a trace or a log is not the place for it either.
 */
const secretNames: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'device_code',
  'user_code',
  'token',
  'assertion',
  'subject_token',
  'actor_token',
  'logout_token',
  'password',
  'request',
])

/** True when a parameter or JSON field called `name` holds a secret. */
export function isSecretName(name: string): boolean {
  return secretNames.has(name.toLowerCase())
}

/** Form or query parameters as text, with every secret value masked. */
export function maskParams(params: URLSearchParams): string {
  const masked = new URLSearchParams()
  for (const [name, value] of params) masked.append(name, isSecretName(name) ? MASK : value)
  return masked.toString()
}

/**
 * A URL with its password and its secret query parameters masked:
 * `redis://u:****@host`, `https://id.example/device?user_code=****`. Text that is not a URL
 * is returned as it is.
 */
export function maskUrl(text: string | URL): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return String(text)
  }
  const hasPassword = url.password !== ''
  const hasSecretQuery = [...url.searchParams.keys()].some(isSecretName)
  if (!hasPassword && !hasSecretQuery) return String(text)
  if (hasPassword) url.password = MASK
  if (hasSecretQuery) url.search = maskParams(url.searchParams)
  return url.href
}

/**
 * A parsed JSON value with every secret field masked, at any depth, and every URL in a
 * string masked by {@link maskUrl}.
 */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson)
  if (typeof value === 'string')
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? maskUrl(value) : value
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [
      name,
      isSecretName(name) && field !== null ? MASK : maskJson(field),
    ]),
  )
}

/** An HTTP header's value for a trace: credentials keep their scheme only (`Basic ****`). */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const scheme = /^\S+(?=\s)/.exec(value)?.[0]
    return scheme === undefined ? MASK : `${scheme} ${MASK}`
  }
  if (lower === 'cookie' || lower === 'set-cookie' || lower === 'dpop') return MASK
  return value
}
