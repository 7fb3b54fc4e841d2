import { KeywayError, KeywayErrorCodes } from '@keyway/core'
import { describe, expect, it } from 'vitest'
import { causePhrase } from '../src/failure-cause.js'

/** A network error as core builds it: the system code sits on a cause. */
const networkError = (code: string) =>
  new KeywayError(KeywayErrorCodes.network, 'Reading the provider metadata failed.', {
    cause: Object.assign(new Error('https://id.example/ could not be reached'), {
      cause: Object.assign(new TypeError('fetch failed'), { code }),
    }),
  })

describe('causePhrase', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused'],
    ['ENOTFOUND', 'name not found'],
    ['EAI_AGAIN', 'name lookup failed for now (DNS)'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate not trusted: it is self-signed'],
    ['CERT_NOT_YET_VALID', 'certificate not trusted (CERT_NOT_YET_VALID)'],
    ['EPROTO', 'EPROTO'],
  ])('says %s as %j', (code, phrase) => {
    expect(causePhrase(networkError(code))).toBe(phrase)
  })

  it("leaves a library's own codes alone", () => {
    const error = new KeywayError(KeywayErrorCodes.loginRequired, 'The grant is no longer valid.', {
      cause: Object.assign(new Error('server responded with an error'), {
        code: 'OAUTH_RESPONSE_BODY_ERROR',
      }),
    })
    expect(causePhrase(error)).toBeUndefined()
  })
})
