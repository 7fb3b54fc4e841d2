import { describe, expect, it } from 'vitest'
import { maskHeader, maskJson, maskParams, maskUrl } from '../src/mask.js'

describe('masking', () => {
  it('masks secret form parameters and keeps the others', () => {
    const params = new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'c0de',
      code_verifier: 'v',
      redirect_uri: 'http://127.0.0.1/callback',
    })
    expect(maskParams(params)).toBe(
      'grant_type=authorization_code&code=****&code_verifier=****&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback',
    )
  })

  it('masks a URL password and secret query parameters, and leaves other URLs as written', () => {
    expect(maskUrl('redis://worker:s3cret@127.0.0.1:6379/0')).toBe(
      'redis://worker:****@127.0.0.1:6379/0',
    )
    expect(maskUrl('http://127.0.0.1:4000/device?user_code=ABCD-EFGH')).toBe(
      'http://127.0.0.1:4000/device?user_code=****',
    )
    expect(maskUrl('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000')
    expect(maskUrl('not a url')).toBe('not a url')
  })

  it('masks token fields at any depth, and URLs inside strings', () => {
    expect(
      maskJson({
        access_token: 'a',
        nested: [{ refresh_token: 'r', id_token: 'i', expires_in: 60 }],
        verification_uri_complete: 'https://id.example/device?user_code=XY',
        error: null,
      }),
    ).toEqual({
      access_token: '****',
      nested: [{ refresh_token: '****', id_token: '****', expires_in: 60 }],
      verification_uri_complete: 'https://id.example/device?user_code=****',
      error: null,
    })
  })

  it('keeps only the scheme of credentials in headers', () => {
    expect(maskHeader('Authorization', 'Basic a2V5OnNlY3JldA==')).toBe('Basic ****')
    expect(maskHeader('authorization', 'opaque')).toBe('****')
    expect(maskHeader('DPoP', 'eyJ.proof')).toBe('****')
    expect(maskHeader('content-type', 'application/json')).toBe('application/json')
  })
})
