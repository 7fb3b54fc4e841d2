import { createHash } from 'node:crypto'

/** The JWK SHA-256 thumbprint (RFC 7638) of an EC public key: what `cnf.jkt` holds. */
export function jwkThumbprint(jwk: {
  readonly crv?: unknown
  readonly x?: unknown
  readonly y?: unknown
}): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y })
  return createHash('sha256').update(canonical).digest('base64url')
}
