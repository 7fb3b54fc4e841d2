import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/**
 * An RS256 signing key for an imitation's ID tokens, with the JWKS document that publishes
 * its public half (as `jwks_uri` serves it).
 */
export class IdTokenSigner {
  readonly #privateKey: KeyObject
  readonly #kid: string
  /** The JWKS document: `{ keys: [publicJwk] }`. */
  readonly jwks: { readonly keys: readonly object[] }

  constructor(kid = 'imitation-key-1') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    this.#privateKey = privateKey
    this.#kid = kid
    this.jwks = {
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }],
    }
  }

  /**
   * Signs an ID token for `audience`, issued by `issuer`, valid for an hour from now, with
   * the provider's own claims added.
   */
  sign(issuer: string, audience: string, claims: Readonly<Record<string, unknown>>): string {
    const now = Math.floor(Date.now() / 1000)
    const header = encode({ alg: 'RS256', typ: 'JWT', kid: this.#kid })
    const payload = encode({ iss: issuer, aud: audience, iat: now, exp: now + 3600, ...claims })
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.#privateKey)
    return `${header}.${payload}.${signature.toString('base64url')}`
  }
}
