import { PassThrough } from 'node:stream'
import { DEFAULT_REDIRECT_URI, type PasteOptions, paste } from '@keyway/paste'
import { describe, expect, it } from 'vitest'

const context = (redirectUri?: string) => ({
  signal: new AbortController().signal,
  ...(redirectUri === undefined ? {} : { redirectUri }),
})

const authorizationUrl = new URL('https://id.example.com/authorize?client_id=app&state=s')

/** What paste writes before it reads, when it runs alone or adopted `adopted` in a race. */
async function firstScreen(options: PasteOptions, adopted?: string): Promise<string> {
  const input = new PassThrough()
  const output = new PassThrough()
  let text = ''
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8')
  })
  const session = await paste({ ...options, input, output }).open(context(adopted))
  input.end()
  const request = {
    url: authorizationUrl,
    state: 's',
    issuer: 'https://id.example.com',
    issRequired: false,
    signal: new AbortController().signal,
  }
  await expect(session.receive(request)).rejects.toMatchObject({ code: 'aborted' })
  return text
}

describe('paste()', () => {
  it('shows the authorization URL when it runs alone', async () => {
    const screen = await firstScreen({ redirectUri: 'https://app.example.com/oauth' })
    expect(screen).toBe(
      '\nTo log in, open this address in a browser, on this machine or any other:\n\n' +
        `${authorizationUrl.href}\n\n` +
        'After you approve, the browser goes to an address starting with\n' +
        'https://app.example.com/oauth\n' +
        "Copy that whole address from the browser's address bar (or the code the page\n" +
        'shows) and paste it here.\n\n' +
        'Paste the address (or just the code): \n',
    )
  })

  it('leaves the URL to the transport whose redirect URI it adopted, unless asked', async () => {
    const adopted = 'http://127.0.0.1:51234/callback'
    expect(await firstScreen({}, adopted)).not.toContain(authorizationUrl.href)
    expect(await firstScreen({}, adopted)).toContain(`starts with\n${adopted}\n`)
    expect(await firstScreen({ showUrl: true }, adopted)).toContain(`\n${authorizationUrl.href}\n`)
    expect(await firstScreen({ showUrl: false })).not.toContain(authorizationUrl.href)
  })

  it('uses the registered loopback URI by default, never an out-of-band one', async () => {
    const session = await paste().open(context())
    expect(DEFAULT_REDIRECT_URI).toBe('http://127.0.0.1/callback')
    expect(session.redirectUri).toBe(DEFAULT_REDIRECT_URI)
    await session.close()
  })

  it('tells how the login ended, unless the app tells it itself (announceOutcome: false)', async () => {
    const told = async (options: PasteOptions) => {
      const output = new PassThrough()
      let text = ''
      output.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8')
      })
      const session = await paste({ ...options, output }).open(context())
      await session.finish({ ok: true })
      await session.close()
      return text
    }
    expect(await told({})).toBe('Logged in.\n')
    expect(await told({ announceOutcome: false })).toBe('')
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
    ['a showUrl that is not a boolean', { showUrl: 'yes' as never }, /showUrl/],
    [
      'an announceOutcome that is not a boolean',
      { announceOutcome: 1 as never },
      /announceOutcome/,
    ],
  ])('refuses %s as a config error', (_, options, message) => {
    expect(() => paste(options)).toThrow(
      expect.objectContaining({ code: 'config_error', message: expect.stringMatching(message) }),
    )
  })
})
