/** System codes, as people say them. */
const spoken: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'name not found',
  EAI_NONAME: 'name not found',
  EAI_AGAIN: 'name lookup failed for now (DNS)',
  EPIPE: 'connection closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate not trusted: it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate not trusted: a self-signed certificate in its chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted: its issuer is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate not trusted: its issuer is unknown',
  CERT_HAS_EXPIRED: 'certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is for another host name',
}

const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/

/** The errors behind `error`, nearest first (at most a few). */
function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current = error
  while (typeof current === 'object' && current !== null && chain.length < 6) {
    chain.push(current)
    current = (current as { cause?: unknown }).cause
  }
  return chain
}

/** A code the system or the TLS layer gave (`ECONNREFUSED`, `CERT_HAS_EXPIRED`), not a library's. */
const systemCode = /^(E(?!RR_)[A-Z0-9_]+|ERR_TLS_[A-Z0-9_]+|UND_ERR_[A-Z0-9_]+)$/

const codeOf = (error: unknown): string | undefined => {
  const { code } = error as { code?: unknown }
  if (typeof code !== 'string') return undefined
  return systemCode.test(code) || certificate.test(code) ? code : undefined
}

/**
 * What went wrong underneath, in a few words, for the error line: `connection refused`, `name
 * not found`, `certificate not trusted: it is self-signed`…, from the system code along the causes
 * (core puts it there). Undefined when there is none. Only codes are read, never a body.
 */
export function causePhrase(error: unknown): string | undefined {
  for (const link of chainOf(error)) {
    const code = codeOf(link)
    if (code === undefined) continue
    return spoken[code] ?? (certificate.test(code) ? `certificate not trusted (${code})` : code)
  }
  return undefined
}
