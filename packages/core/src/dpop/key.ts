import { KeywayError, KeywayErrorCodes } from '../errors.js'

/**
 * The private half of a DPoP key (RFC 9449) as a JSON Web Key: an ES256 (P-256) key, kept
 * with the grant in the store record. It is a secret, like the refresh token it is bound to:
 * never logged, and absent from every summary and snapshot.
 */
export interface DPoPKeyJwk {
  readonly kty: 'EC'
  readonly crv: 'P-256'
  /** The public point's x coordinate, base64url. */
  readonly x: string
  /** The public point's y coordinate, base64url. */
  readonly y: string
  /** The private scalar, base64url. */
  readonly d: string
}

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** Imported pairs by the JWK object they came from: a grant's key is imported once. */
const imported = new WeakMap<DPoPKeyJwk, Promise<CryptoKeyPair>>()

/** The public half of `key`, as a proof's header carries it. */
export function publicJwk(key: DPoPKeyJwk): JsonWebKey {
  return { kty: key.kty, crv: key.crv, x: key.x, y: key.y }
}

/**
 * Makes a new ES256 key pair with WebCrypto for one grant: the private key as a JWK (for the
 * store record) and the pair in memory, whose private key cannot be exported again.
 */
export async function createDPoPKey(): Promise<DPoPKeyJwk> {
  const generated = await crypto.subtle.generateKey(ES256, true, ['sign', 'verify'])
  const { kty, crv, x, y, d } = await crypto.subtle.exportKey('jwk', generated.privateKey)
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y || !d) {
    throw new Error('WebCrypto exported an unexpected DPoP key')
  }
  return { kty, crv, x, y, d }
}

/**
 * The key pair `key` stands for, imported once per JWK object: the private key
 * non-extractable, the public key extractable (openid-client puts it in the proof's header).
 */
export function dpopKeyPair(key: DPoPKeyJwk): Promise<CryptoKeyPair> {
  let pair = imported.get(key)
  if (pair === undefined) {
    pair = importPair(key)
    imported.set(key, pair)
    pair.catch(() => imported.delete(key))
  }
  return pair
}

/**
 * Imports the stored key. One that WebCrypto refuses (a point off the curve) can never prove
 * possession again: the grant it binds is dead, and only a login makes a new one.
 */
async function importPair(key: DPoPKeyJwk): Promise<CryptoKeyPair> {
  const { kty, crv, x, y, d } = key
  try {
    const [privateKey, publicKey] = await Promise.all([
      crypto.subtle.importKey('jwk', { kty, crv, x, y, d }, ES256, false, ['sign']),
      crypto.subtle.importKey('jwk', publicJwk(key), ES256, true, ['verify']),
    ])
    return { privateKey, publicKey }
  } catch (cause) {
    throw new KeywayError(
      KeywayErrorCodes.loginRequired,
      'The DPoP key stored with the grant is not a usable P-256 key; the person must log in again.',
      { cause: new Error((cause as { name?: string }).name ?? 'key import failed') },
    )
  }
}
