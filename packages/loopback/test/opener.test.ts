import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type DevProvider, ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { type LoginRun, startLogin } from './support/login.js'

const fakeBrowser = fileURLToPath(new URL('./fixtures/fake-browser.mjs', import.meta.url))
const intro = 'Open this address in your browser to sign in:'

let dev: DevProvider

beforeAll(async () => {
  dev = await startDevProvider()
})
afterAll(() => dev?.close())
afterEach(() => {
  vi.unstubAllEnvs()
})

/** Finishes the login as the person would, from the URL printed on the output. */
async function signInFromPrintedUrl(run: LoginRun): Promise<void> {
  const walk = await new ScriptedBrowser().authorize(await run.authorizationUrl())
  expect(walk.landed?.body).toContain('You are signed in.')
  await expect(run.done).resolves.toBeDefined()
}

async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'keyway-browser-'))
  onTestFinished(() => rm(folder, { recursive: true, force: true }))
  return folder
}

describe('the authorization URL', () => {
  it('is printed whole on a line of its own, and with open: false nothing else is', async () => {
    const run = startLogin(dev, { open: false })
    const url = await run.authorizationUrl()
    expect(url.pathname).toBe('/auth')
    expect(url.searchParams.get('code_challenge_method')).toBe('S256')
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/)
    await signInFromPrintedUrl(run)
    expect(run.output.lines).toEqual([intro, url.href])
  })
})

describe('an opener that fails', () => {
  it.each([
    [
      'throws',
      () => {
        throw new Error('no display')
      },
    ],
    ['rejects', async () => Promise.reject(new Error('no display'))],
  ])('%s: the failure is told, the URL stays printed, the login goes on', async (_, open) => {
    const run = startLogin(dev, { open })
    await signInFromPrintedUrl(run)
    expect(run.output.lines).toEqual([
      intro,
      (await run.authorizationUrl()).href,
      'Could not open a browser (no display). Open the address above yourself.',
    ])
  })

  it('does not stop the login when the output cannot be written to either', async () => {
    let shown: string | undefined
    const run = startLogin(dev, {
      output: {
        write() {
          throw new Error('EPIPE')
        },
      },
      open: (url) => {
        shown = url
        throw new Error('no display')
      },
    })
    await vi.waitFor(() => expect(shown).toBeDefined())
    await new ScriptedBrowser().authorize(shown ?? '')
    await expect(run.done).resolves.toBeDefined()
  })
})

describe('open: true', () => {
  it('starts the first command of $BROWSER that exists, with the URL', async () => {
    const folder = await temporaryFolder()
    const opened = join(folder, 'opened-url')
    vi.stubEnv(
      'BROWSER',
      [join(folder, 'no-such-browser'), `${process.execPath} ${fakeBrowser} ${opened}`].join(
        delimiter,
      ),
    )
    const run = startLogin(dev, { open: true })
    const url = await vi.waitFor(() => readFile(opened, 'utf8'), { timeout: 10_000 })
    expect(url).toBe((await run.authorizationUrl()).href)
    await signInFromPrintedUrl(run)
    expect(run.output.lines).toEqual([intro, url])
  })

  it('tells when $BROWSER cannot be started, and the printed URL still works', async () => {
    const folder = await temporaryFolder()
    vi.stubEnv('BROWSER', join(folder, 'no-such-browser'))
    const run = startLogin(dev, { open: true })
    await signInFromPrintedUrl(run)
    expect(run.output.lines[2]).toMatch(
      /^Could not open a browser \(spawn .*no-such-browser ENOENT\)\. Open the address above yourself\.$/,
    )
  })
})
