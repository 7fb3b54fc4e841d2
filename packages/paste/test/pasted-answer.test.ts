import type { AuthorizationRequest } from '@keyway/core'
import { describe, expect, it } from 'vitest'
import { readPastedAnswer } from '../src/pasted-answer.js'

const issuer = 'https://id.example.com'
const request: AuthorizationRequest = {
  url: new URL(`${issuer}/authorize?client_id=app&state=s-123456`),
  state: 's-123456',
  issuer,
  issRequired: true,
  signal: new AbortController().signal,
}
const redirectUri = 'http://127.0.0.1/callback'
const good = `${redirectUri}?code=c0de&state=s-123456&iss=${encodeURIComponent(issuer)}`

const read = (line: string, expected: AuthorizationRequest = request) =>
  readPastedAnswer(line, expected, redirectUri)

/** The query a usable answer hands to core, or what was wrong with it. */
function outcome(line: string, expected?: AuthorizationRequest) {
  const answer = read(line, expected)
  switch (answer.kind) {
    case 'callback':
      return answer.callback.kind === 'code'
        ? { code: answer.callback.code }
        : { query: Object.fromEntries(answer.callback.url.searchParams) }
    case 'unusable':
      return { problem: answer.problem, code: answer.code }
    case 'refused':
      return { refused: answer.error.code, error: answer.error.error }
    case 'empty':
      return { empty: true }
  }
}

const goodQuery = { code: 'c0de', state: 's-123456', iss: issuer }

describe('readPastedAnswer', () => {
  it.each([
    ['the whole URL', good],
    ['the URL in spaces and a CR', `   ${good}\t\r`],
    ['the URL in quotes', `"${good}"`],
    ['the URL in angle brackets', `<${good}>`],
    ['an HTML-escaped query', good.replaceAll('&', '&amp;')],
    ['the query alone', good.slice(good.indexOf('?'))],
    ['the query without its ?', good.slice(good.indexOf('?') + 1)],
    ['an HTML-escaped query alone', good.slice(good.indexOf('?')).replaceAll('&', '&amp;')],
    ['the address without its scheme', good.replace('http://', '')],
    ['another host and port', good.replace('127.0.0.1', 'localhost:8080')],
    ['the URL with a fragment', `${good}#_=_`],
  ])('reads %s', (_, line) => {
    expect(outcome(line)).toEqual({ query: goodQuery })
  })

  it('rebuilds a usable URL on the redirect URI of the attempt', () => {
    const answer = read(good.replace('127.0.0.1', 'evil.example'))
    expect(answer.kind === 'callback' && answer.callback).toMatchObject({
      kind: 'redirect',
      url: expect.objectContaining({ origin: 'http://127.0.0.1', pathname: '/callback' }),
    })
  })

  it.each([
    ['a bare code', 'c0de.xyz-42', 'c0de.xyz-42'],
    ['a bare code in spaces', '  c0de.xyz-42 \r', 'c0de.xyz-42'],
    ['a percent-encoded code', '4%2F0AfJohXn', '4/0AfJohXn'],
    ['a code with base64 padding', 'YWJjZGVmZ2g=', 'YWJjZGVmZ2g='],
  ])('reads %s', (_, line, code) => {
    expect(outcome(line)).toEqual({ code })
  })

  it.each(['hello', 'y', 'abc%20d'])('asks again for %j, too short to be a code', (line) => {
    expect(outcome(line)).toMatchObject({ problem: expect.stringMatching(/too short/) })
  })

  it('takes an empty line for nothing', () => {
    expect(outcome(' \r')).toEqual({ empty: true })
  })

  it.each([
    ['another state', good.replace('s-123456', 's-999999'), /another login attempt/],
    ['no state', good.replace('&state=s-123456', ''), /has no state/],
  ])('asks again for a URL with %s', (_, line, problem) => {
    expect(outcome(line)).toEqual({
      problem: expect.stringMatching(problem),
      code: 'state_mismatch',
    })
  })

  it.each([
    ['a state cut short', `${redirectUri}?code=c0de&state=s-12`],
    ['an iss cut short', good.slice(0, -4)],
    ['a percent escape cut short', good.slice(0, good.lastIndexOf('%') + 2)],
    ['an empty code', `${redirectUri}?state=s-123456&iss=${issuer}&code=`],
  ])('tells a cut-off paste by %s', (_, line) => {
    expect(outcome(line)).toEqual({
      problem: expect.stringMatching(/looks cut off/),
      code: 'invalid_response',
    })
  })

  it.each([
    ['no code', `${redirectUri}?state=s-123456&iss=${issuer}`, /carries no code/],
    ['no query at all', redirectUri, /carries no code/],
    [
      'the iss of another provider',
      good.replace('id.example', 'other.example'),
      /another provider/,
    ],
    [
      'no iss from a provider that promises it',
      good.slice(0, good.indexOf('&iss')),
      /lacks the iss/,
    ],
    ['the authorization URL itself', request.url.href, /the address to open/],
    ['a parameter given twice', `${good}&code=second`, /repeats the "code" parameter/],
  ])('asks again for a URL with %s', (_, line, problem) => {
    expect(outcome(line)).toMatchObject({ problem: expect.stringMatching(problem) })
  })

  it('accepts a URL without iss when the provider does not promise it', () => {
    const plain = { ...request, issRequired: false }
    expect(outcome(good.slice(0, good.indexOf('&iss')), plain)).toEqual({
      query: { code: 'c0de', state: 's-123456' },
    })
  })

  it.each([
    ['words', 'hello there'],
    ['a lone question mark', '???'],
    ['non-ASCII text', 'código'],
    ['a fragment of a query', 'a&b'],
  ])('asks again for %s', (_, line) => {
    expect(outcome(line)).toMatchObject({ problem: expect.stringMatching(/neither an address/) })
  })

  it('ends the login for the provider’s access_denied, after checking the state', () => {
    const denied = `${redirectUri}?error=access_denied&state=s-123456&iss=${issuer}`
    expect(outcome(denied)).toEqual({ refused: 'access_denied', error: 'access_denied' })
    expect(outcome(denied.replace('s-123456', 'other'))).toMatchObject({ code: 'state_mismatch' })
  })

  it('ends the login with provider_error for any other error', () => {
    const line = `${redirectUri}?error=server_error&state=s-123456`
    expect(outcome(line)).toEqual({ refused: 'provider_error', error: 'server_error' })
  })

  it('never puts the pasted code in what it says', () => {
    for (const line of [
      `${redirectUri}?code=SECRET-CODE&state=other`,
      `${redirectUri}?code=SECRET-CODE&state=s-123456&iss=https://other.example`,
      `${redirectUri}?code=SECRET-CODE&code=SECRET-CODE`,
      'SECRET-CODE and more',
    ]) {
      expect(JSON.stringify(read(line))).not.toContain('SECRET-CODE')
    }
  })
})
