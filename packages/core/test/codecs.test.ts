import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  checkCallback,
  parseCallbackParams,
  StoredRecord,
  toTokenSet,
} from '../src/codecs/index.js'
import {
  type DPoPKeyJwk,
  decodeStoredRecord,
  fromStoredRecord,
  KeywayError,
  parseStoredTokens,
  serializeTokens,
  type TokenSet,
  toStoredRecord,
} from '../src/index.js'

const SENT_AT = 1_700_000_000_000

function left<A>(result: E.Either<KeywayError, A>): KeywayError {
  if (E.isRight(result)) throw new Error('expected a failure')
  return result.left
}

function right<A>(result: E.Either<KeywayError, A>): A {
  if (E.isLeft(result)) throw result.left
  return result.right
}

const secret = fc.string({ minLength: 8, maxLength: 64 }).filter((s) => s.trim().length > 0)

const base64url = fc
  .base64String({ minLength: 4, maxLength: 44 })
  .map((text) => text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_').padEnd(1, 'A'))

const dpopKey: fc.Arbitrary<DPoPKeyJwk> = fc.record({
  kty: fc.constant('EC' as const),
  crv: fc.constant('P-256' as const),
  x: base64url,
  y: base64url,
  d: base64url,
})

const tokenSet: fc.Arbitrary<TokenSet> = fc.record(
  {
    dpopKey,
    accessToken: secret,
    tokenType: fc.constantFrom('Bearer', 'bearer', 'DPoP'),
    expiresAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    obtainedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    refreshToken: secret,
    idToken: secret,
    scope: fc.constantFrom('openid', 'openid offline_access', ''),
  },
  { requiredKeys: ['accessToken', 'tokenType'] },
)

describe('token endpoint responses', () => {
  it('computes expiry from the send time, with expires_in as a number or a numeric string', () => {
    for (const expiresIn of [3600, '3600', ' 3600 ']) {
      const tokens = right(
        toTokenSet({ access_token: 'a', token_type: 'Bearer', expires_in: expiresIn }, SENT_AT),
      )
      expect(tokens.expiresAt).toBe(SENT_AT + 3_600_000)
    }
  })

  it('keeps the DPoP key a request proved only when the provider bound the tokens to it', () => {
    const key = { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ', d: 'ZA' } as const
    const dpop = right(
      toTokenSet({ access_token: 'a', token_type: 'DPoP' }, SENT_AT, undefined, key),
    )
    expect(dpop.dpopKey).toBe(key)
    const bearer = right(
      toTokenSet({ access_token: 'a', token_type: 'Bearer' }, SENT_AT, undefined, key),
    )
    expect(bearer).not.toHaveProperty('dpopKey')
  })

  it('leaves expiry unknown when expires_in is missing', () => {
    const tokens = right(toTokenSet({ access_token: 'a', token_type: 'Bearer' }, SENT_AT))
    expect(tokens.expiresAt).toBeUndefined()
  })

  it('keeps the previous refresh token and scope when the response has none', () => {
    const previous: TokenSet = {
      accessToken: 'old',
      tokenType: 'Bearer',
      refreshToken: 'rt-old',
      scope: 'a b',
    }
    const tokens = right(
      toTokenSet({ access_token: 'new', token_type: 'Bearer' }, SENT_AT, previous),
    )
    expect(tokens).toEqual({
      accessToken: 'new',
      tokenType: 'Bearer',
      refreshToken: 'rt-old',
      scope: 'a b',
      obtainedAt: SENT_AT,
    })
    const rotated = right(
      toTokenSet(
        { access_token: 'new', token_type: 'Bearer', refresh_token: 'rt-new', scope: 'a' },
        SENT_AT,
        previous,
      ),
    )
    expect(rotated.refreshToken).toBe('rt-new')
    expect(rotated.scope).toBe('a')
  })

  it.each([
    ['not an object', 'not json'],
    ['an HTML page', '<html>Service Unavailable</html>'],
    ['no access token', { token_type: 'Bearer' }],
    ['an empty access token', { access_token: ' ', token_type: 'Bearer' }],
    ['no token type', { access_token: 'a' }],
    ['a negative expires_in', { access_token: 'a', token_type: 'Bearer', expires_in: -1 }],
    ['a word for expires_in', { access_token: 'a', token_type: 'Bearer', expires_in: 'soon' }],
    ['a number for refresh_token', { access_token: 'a', token_type: 'Bearer', refresh_token: 7 }],
  ])('refuses %s as invalid_response', (_, body) => {
    const error = left(toTokenSet(body, SENT_AT))
    expect(error).toBeInstanceOf(KeywayError)
    expect(error.code).toBe('invalid_response')
  })

  it('never quotes a value in its error message', () => {
    fc.assert(
      fc.property(secret, (value) => {
        const error = left(toTokenSet({ access_token: value, token_type: 42 }, SENT_AT))
        expect(error.message).not.toContain(value)
      }),
    )
  })
})

describe('stored records', () => {
  it('round-trips every token set, dates intact', () => {
    fc.assert(
      fc.property(tokenSet, fc.integer({ min: 0, max: 4_102_444_800_000 }), (tokens, savedAt) => {
        expect(right(parseStoredTokens(serializeTokens(tokens, savedAt)))).toEqual(tokens)
      }),
    )
  })

  it('accepts only records it can write back unchanged, and quotes no value when it refuses', () => {
    const nearlyValid = fc.record(
      {
        version: fc.oneof(fc.constant(1), fc.constant(2), fc.string()),
        savedAt: fc.oneof(fc.integer({ min: -5, max: 2 ** 53 }), fc.double(), fc.string()),
        tokens: fc.oneof(
          fc.record(
            {
              accessToken: fc.oneof(secret, fc.constant(' '), fc.integer()),
              tokenType: fc.oneof(fc.constant('Bearer'), fc.constant(''), fc.boolean()),
              expiresAt: fc.oneof(fc.integer({ min: -1, max: 2 ** 53 }), fc.double(), fc.string()),
              obtainedAt: fc.oneof(fc.integer({ min: -1, max: 2 ** 53 }), fc.string()),
              refreshToken: fc.oneof(secret, fc.constant('')),
              idToken: fc.oneof(secret, fc.constant(null)),
              scope: fc.oneof(fc.string(), fc.integer()),
              dpopKey: fc.oneof(
                dpopKey,
                dpopKey.map((key) => ({ ...key, kty: 'RSA' })),
                dpopKey.map((key) => ({ ...key, d: '' })),
                dpopKey.map((key) => ({ ...key, extra: 'kept out' })),
                fc.string(),
              ),
              extra: secret,
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(nearlyValid, fc.anything()), (input) => {
        const decoded = decodeStoredRecord(input)
        if (decoded._tag === 'Left') {
          expect(decoded.left.code).toBe('store_error')
          expect(decoded.left.message).toMatch(
            /^The stored token record is malformed at: [\w.(), ]+\.$/,
          )
          return
        }
        const { tokens, savedAt } = decoded.right
        expect(Object.keys(tokens)).not.toContain('extra')
        if (tokens.dpopKey !== undefined) expect(Object.keys(tokens.dpopKey)).not.toContain('extra')
        expect(right(fromStoredRecord(toStoredRecord(tokens, savedAt)))).toEqual(tokens)
      }),
      { numRuns: 2000 },
    )
  })

  it('is the decoder behind the io-ts StoredRecord codec', () => {
    const record = toStoredRecord({ accessToken: 'a', tokenType: 'Bearer', obtainedAt: 5 }, 9)
    const decoded = StoredRecord.decode(record)
    expect(E.isRight(decoded) && decoded.right).toEqual(record)
    const broken = StoredRecord.decode({ ...record, tokens: { accessToken: 'a' } })
    expect(E.isLeft(broken)).toBe(true)
    expect(StoredRecord.is(record)).toBe(true)
  })

  it('loads a record written without a DPoP key (before Keyway had DPoP), at the same version', () => {
    const before = { version: 1, savedAt: 1, tokens: { accessToken: 'a', tokenType: 'Bearer' } }
    expect(right(fromStoredRecord(before))).toEqual({ accessToken: 'a', tokenType: 'Bearer' })
  })

  it('keeps a DPoP key with its JWK fields only, and refuses a key that is not ES256', () => {
    const key = { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ', d: 'ZA' } as const
    const record = toStoredRecord({ accessToken: 'a', tokenType: 'DPoP', dpopKey: key }, 1)
    expect(record.tokens.dpopKey).toEqual(key)
    const withExtras = { ...record, tokens: { ...record.tokens, dpopKey: { ...key, ext: true } } }
    expect(right(fromStoredRecord(withExtras)).dpopKey).toEqual(key)
    const rsa = { ...record, tokens: { ...record.tokens, dpopKey: { ...key, kty: 'RSA' } } }
    expect(left(fromStoredRecord(rsa)).message).toBe(
      'The stored token record is malformed at: tokens.dpopKey.',
    )
  })

  it('writes a schema version', () => {
    const text = serializeTokens({ accessToken: 'a', tokenType: 'Bearer' }, SENT_AT)
    expect(JSON.parse(text)).toMatchObject({ version: 1, savedAt: SENT_AT })
  })

  it.each([
    ['text that is not JSON', 'access_token=abc'],
    [
      'another version',
      JSON.stringify({ version: 2, savedAt: 1, tokens: { accessToken: 'a', tokenType: 'b' } }),
    ],
    ['a record without tokens', JSON.stringify({ version: 1, savedAt: 1 })],
    ['truncated JSON', '{"version":1,"savedAt":1,"tokens":{"accessToken":"a'],
  ])('reads %s as a store_error that quotes nothing', (_, text) => {
    const error = left(parseStoredTokens(text))
    expect(error.code).toBe('store_error')
    expect(error.message).not.toContain('abc')
    expect(error.cause).toBeUndefined()
  })
})

describe('callbacks', () => {
  const expected = { state: 's-1', issuer: 'https://op.example', issRequired: true }
  const check = (query: string) =>
    E.flatMap((params: Parameters<typeof checkCallback>[0]) => checkCallback(params, expected))(
      parseCallbackParams(new URLSearchParams(query)),
    )

  it('returns the code of a matching response', () => {
    expect(right(check('code=c-1&state=s-1&iss=https%3A%2F%2Fop.example'))).toBe('c-1')
  })

  it('checks the state first: a forged error does not end the login as access_denied', () => {
    expect(left(check('error=access_denied&state=forged')).code).toBe('state_mismatch')
    expect(left(check('code=c-1')).code).toBe('state_mismatch')
  })

  it('maps the provider’s errors, keeping its description', () => {
    const denied = left(check('error=access_denied&error_description=No%20thanks&state=s-1'))
    expect(denied.code).toBe('access_denied')
    expect(denied.errorDescription).toBe('No thanks')
    const other = left(check('error=invalid_scope&state=s-1'))
    expect(other.code).toBe('provider_error')
    expect(other.error).toBe('invalid_scope')
  })

  it('refuses another issuer, or a missing one that the provider promised', () => {
    expect(left(check('code=c&state=s-1&iss=https%3A%2F%2Fevil.example')).code).toBe(
      'invalid_response',
    )
    expect(left(check('code=c&state=s-1')).code).toBe('invalid_response')
  })

  it('refuses repeated parameters and a response with neither code nor error', () => {
    expect(left(check('code=a&code=b&state=s-1&iss=https%3A%2F%2Fop.example')).code).toBe(
      'invalid_response',
    )
    expect(left(check('state=s-1&iss=https%3A%2F%2Fop.example')).code).toBe('invalid_response')
  })
})
