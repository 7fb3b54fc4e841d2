import { DEFAULT_REDIRECT_URI, paste } from '@keyway/paste'
import { describe, expect, it } from 'vitest'

const context = (redirectUri?: string) => ({
  signal: new AbortController().signal,
  ...(redirectUri === undefined ? {} : { redirectUri }),
})

describe('paste()', () => {
  it('uses the registered loopback URI by default, never an out-of-band one', async () => {
    const session = await paste().open(context())
    expect(DEFAULT_REDIRECT_URI).toBe('http://127.0.0.1/callback')
    expect(session.redirectUri).toBe(DEFAULT_REDIRECT_URI)
    await session.close()
  })

  it('keeps the redirect URI exactly as given', async () => {
    const session = await paste({ redirectUri: 'https://app.example.com/oauth' }).open(context())
    expect(session.redirectUri).toBe('https://app.example.com/oauth')
  })

  it('adopts the redirect URI another transport chose in a race', async () => {
    const transport = paste({ redirectUri: 'https://app.example.com/oauth' })
    const session = await transport.open(context('http://127.0.0.1:51234/callback'))
    expect(session.redirectUri).toBe('http://127.0.0.1:51234/callback')
  })

  it.each([
    ['an out-of-band URI', { redirectUri: 'urn:ietf:wg:oauth:2.0:oob' }, /out-of-band/],
    ['a URI that is not one', { redirectUri: 'not a uri' }, /not a valid URL/],
    ['a URI with a query', { redirectUri: 'http://127.0.0.1/cb?x=1' }, /no query/],
    ['zero attempts', { attempts: 0 }, /attempts/],
    ['a fraction of an attempt', { attempts: 1.5 }, /attempts/],
  ])('refuses %s as a config error', (_, options, message) => {
    expect(() => paste(options)).toThrow(
      expect.objectContaining({ code: 'config_error', message: expect.stringMatching(message) }),
    )
  })
})
