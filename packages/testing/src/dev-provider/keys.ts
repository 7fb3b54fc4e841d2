import { generateKeyPairSync } from 'node:crypto'
import type { JWK } from 'oidc-provider'

/** A fresh ES256 signing key for one provider instance, so no key is ever committed. */
export function generateSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = privateKey.export({ format: 'jwk' }) as JWK
  return { ...jwk, use: 'sig', alg: 'ES256', kid: `dev-${Date.now().toString(36)}` }
}
