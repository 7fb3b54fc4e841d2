import { describe, expect, it } from 'vitest'
import { KeywayError, type KeywayOptions, storeKeyOf } from '../src/index.js'

const base: KeywayOptions = { issuer: 'https://accounts.example.com', clientId: 'cli' }

/** The code and message `storeKeyOf` (which resolves every option) throws for `options`. */
function refusal(options: Partial<KeywayOptions>): { code: string; message: string } {
  try {
    storeKeyOf({ ...base, ...options } as KeywayOptions)
  } catch (error) {
    if (error instanceof KeywayError) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('the options were accepted')
}

describe('option checks', () => {
  it.each([
    ['a request timeout of 0', { requestTimeout: 0 }, /requestTimeout must be more than 0/],
    ['a negative request timeout', { requestTimeout: -1 }, /requestTimeout must be a finite/],
    ['an endless request timeout', { requestTimeout: Infinity }, /requestTimeout must be a finite/],
    ['a negative refresh margin', { refreshMargin: -5 }, /refreshMargin must be a finite/],
    ['a scope with a space', { scopes: ['openid email'] }, /each scope must be a non-empty/],
    ['a blank profile', { profile: ' ' }, /profile, when given, must be a non-empty/],
    ['no retry attempt at all', { retry: { attempts: 0 } }, /retry.attempts must be a whole/],
    ['a response limit of 0 bytes', { maxResponseBytes: 0 }, /maxResponseBytes must be a whole/],
    ['a fractional response limit', { maxResponseBytes: 1.5 }, /maxResponseBytes must be a whole/],
    ['an endless response limit', { maxResponseBytes: Infinity }, /maxResponseBytes must be a/],
    ['a response limit as text', { maxResponseBytes: '1MB' }, /maxResponseBytes must be a whole/],
    [
      'PAR without discovery',
      {
        pushedAuthorization: true,
        endpoints: {
          authorization: 'https://a.example/authorize',
          token: 'https://a.example/token',
        },
      },
      /pushedAuthorization needs .* discovery/,
    ],
    ['a relative resource', { resource: '/api' }, /each resource must be an absolute URI/],
    [
      'a resource with a fragment',
      { resource: 'https://api.example/#x' },
      /must not carry a fragment/,
    ],
    ['no resource at all', { resource: [] }, /resource must be a string or a non-empty array/],
    [
      'two audiences',
      { resource: ['a', 'b'], resourceParameter: 'audience' },
      /an audience is one name/,
    ],
    [
      'another resource parameter',
      { resourceParameter: 'aud' },
      /resourceParameter must be resource or audience/,
    ],
  ])('refuses %s with a config_error that says why', (_, options, message) => {
    const { code, message: said } = refusal(options as Partial<KeywayOptions>)
    expect(code).toBe('config_error')
    expect(said).toMatch(message)
  })
})
