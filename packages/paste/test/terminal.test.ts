import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  type DevProvider,
  requireProgram,
  ScriptedBrowser,
  startDevProvider,
} from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { standaloneIntroduction } from './support/terminal.js'
import { Tmux } from './support/tmux.js'

const tmuxBinary = requireProgram('tmux', 'the real-terminal paste test', '/usr/bin/tmux')
const program = fileURLToPath(new URL('./fixtures/login-by-paste.mjs', import.meta.url))
const builtPaste = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const prompt = /Paste the address \(or just the code\): $/m
const exited = /\[exited with (\d+)\]/

describe.skipIf(tmuxBinary === undefined)('paste in a real terminal (tmux)', () => {
  let dev: DevProvider
  let tmux: Tmux

  beforeAll(async () => {
    if (!existsSync(builtPaste)) {
      throw new Error('The terminal test runs the built packages: run `pnpm build` first.')
    }
    dev = await startDevProvider()
    tmux = await Tmux.create(tmuxBinary!)
  })
  afterAll(async () => {
    await tmux?.kill()
    await dev?.close()
  })

  /** Runs the login program in a new terminal and waits for its prompt. */
  async function startProgram(session: string) {
    await tmux.start(session, `KEYWAY_TEST_ISSUER=${dev.issuer} node ${program}`)
    await tmux.waitFor(session, prompt)
    const [, url] = await tmux.waitFor(session, /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m)
    return new URL(url!)
  }

  it('shows the address, takes a pasted redirect URL after a bad one, and lets the program exit', async () => {
    const url = await startProgram('pasted')
    const { callbackUrl } = await new ScriptedBrowser().authorize(url, { followRedirect: false })
    const redact = (text: string) => text.replaceAll(callbackUrl.href, '<the pasted address>')

    await tmux.type('pasted', 'hello')
    await tmux.press('pasted', 'Enter')
    await tmux.waitFor('pasted', /Paste it again \(4 tries left\): $/m)
    await tmux.type('pasted', callbackUrl.href)
    await tmux.press('pasted', 'Enter')
    const [, status] = await tmux.waitFor('pasted', exited, redact)

    expect(status).toBe('0')
    expect(dev.counters.grants.authorization_code).toBe(1)
    const screen = redact(await tmux.screen('pasted'))
    expect(screen.slice(screen.indexOf('\nTo log in'), screen.indexOf('[exited'))).toBe(
      `${standaloneIntroduction(url)}Paste the address (or just the code): hello\n` +
        "That is too short to be a code. Paste the whole address from the browser's address " +
        'bar.\n' +
        'Paste it again (4 tries left): <the pasted address>\n' +
        'Logged in.\n' +
        'The app is authorized.\n',
    )
  })

  it('ends the login with aborted when the person presses Ctrl-D', async () => {
    await startProgram('ended')
    await tmux.press('ended', 'C-d')
    const [, status] = await tmux.waitFor('ended', exited)

    expect(status).toBe('1')
    const screen = await tmux.screen('ended')
    expect(screen).toContain(
      'Paste the address (or just the code): \n' +
        'The login failed: The input ended before an address or a code was pasted.\n' +
        'The app stopped: aborted.\n',
    )
  })
})
