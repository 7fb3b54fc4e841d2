/** The OAuth error a response states: `error` and, when given, `error_description`. */
export interface StatedOAuthError {
  readonly error: string
  readonly error_description?: string
}

const statedInBody = new WeakMap<Response, StatedOAuthError>()

/** `value` as an OAuth error object (a string `error`, an optional `error_description`). */
export function statedOAuthError(value: unknown): StatedOAuthError | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { error, error_description: description } = value as Record<string, unknown>
  if (typeof error !== 'string' || error === '') return undefined
  return { error, ...(typeof description === 'string' ? { error_description: description } : {}) }
}

/**
 * Notes the OAuth error in the JSON body of an error response that also carries a
 * `WWW-Authenticate` challenge (a token endpoint's 401 `invalid_client`, RFC 6749 §5.2):
 * openid-client reports the challenge and never reads that body, so the error is kept here
 * for {@link challengedOAuthError}. Other responses cost nothing.
 */
export function noteChallengedBody(response: Response, body: Uint8Array): void {
  if (response.status < 400 || !response.headers.has('www-authenticate')) return
  if (!(response.headers.get('content-type') ?? '').includes('json')) return
  try {
    const stated = statedOAuthError(JSON.parse(new TextDecoder().decode(body)))
    if (stated !== undefined) statedInBody.set(response, stated)
  } catch {
    // Not JSON after all: the challenge alone is what the provider said.
  }
}

/** openid-client's `WWWAuthenticateChallengeError`, as far as Keyway reads it. */
export interface ChallengeError extends Error {
  /** The parsed challenges: `{ scheme, parameters }` each. */
  readonly cause?: unknown
  readonly response?: unknown
  readonly status?: unknown
}

/** True for openid-client's error for a response with a `WWW-Authenticate` challenge. */
export function isChallengeError(error: unknown): error is ChallengeError {
  return error instanceof Error && error.name === 'WWWAuthenticateChallengeError'
}

/**
 * The OAuth error behind a `WWW-Authenticate` challenge error: the one in the response's
 * JSON body, else an `error` parameter of a challenge (`Bearer error="invalid_token"`).
 */
export function challengedOAuthError(error: ChallengeError): StatedOAuthError | undefined {
  const inBody = error.response instanceof Response ? statedInBody.get(error.response) : undefined
  if (inBody !== undefined) return inBody
  const challenges = Array.isArray(error.cause) ? (error.cause as unknown[]) : []
  for (const challenge of challenges) {
    const stated = statedOAuthError((challenge as { parameters?: unknown } | null)?.parameters)
    if (stated !== undefined) return stated
  }
  return undefined
}

/** The schemes of a challenge error's challenges, e.g. `['basic']`, for messages. */
export function challengeSchemes(error: ChallengeError): string[] {
  const challenges = Array.isArray(error.cause) ? (error.cause as unknown[]) : []
  return challenges
    .map((challenge) => (challenge as { scheme?: unknown } | null)?.scheme)
    .filter((scheme): scheme is string => typeof scheme === 'string')
}
