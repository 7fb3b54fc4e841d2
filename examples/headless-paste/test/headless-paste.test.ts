import { fileURLToPath } from 'node:url'
import { ScriptedBrowser, startNodeScript } from '@keyway/testing'
import { describe, expect, it, onTestFinished } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const browser = fileURLToPath(new URL('./fixtures/browser.mjs', import.meta.url))

/**
 * Starts the built example in a child `node` with its own dev provider, stdin a pipe the test
 * types into, and only the variables given (so no CI or SSH setting leaks in from outside).
 */
function startExample(env: Record<string, string>) {
  const example = startNodeScript(main, { env })
  onTestFinished(() => {
    example.child.kill()
  })
  const { child, exited } = example
  return {
    child,
    /** Resolves when the program exits by itself: stdin stays open, as a terminal would. */
    exited,
    /** The authorization URL, once paste has printed it. */
    async authorizationUrl(): Promise<string> {
      const printed = /on this machine or any other:\n\n(\S+)\n/
      while (!printed.test(example.stderr())) {
        if (child.exitCode !== null) {
          throw new Error(`the example exited early:\n${example.stderr()}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return printed.exec(example.stderr())![1]!
    },
  }
}

describe('headless-paste against its dev provider', () => {
  it('over SSH prints the address, and logs in with the address the browser ended on, pasted', async () => {
    const example = startExample({ SSH_CONNECTION: '192.0.2.10 52100 192.0.2.20 22' })

    const url = await example.authorizationUrl()
    // The person's browser, on their own machine, stops at a page that cannot load.
    const { callbackUrl } = await new ScriptedBrowser().authorize(url, { followRedirect: false })
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe('http://127.0.0.1/callback')
    example.child.stdin?.write(`${callbackUrl.href}\n`)

    const { code, stdout, stderr } = await example.exited
    expect(stderr).toContain('No browser can open here (this is an SSH session)')
    expect(stderr).toContain('Logged in.\n')
    expect(stdout).toBe('Signed in as alice.\n')
    expect(code).toBe(0)
    expect(stdout + stderr).not.toContain(callbackUrl.searchParams.get('code')!)
  })

  it('on a desktop races a loopback receiver, which the browser reaches first, with paste', async () => {
    const example = startExample({ DISPLAY: ':0', BROWSER: `${process.execPath} ${browser}` })

    const { code, stdout, stderr } = await example.exited
    expect(stderr).toContain('Open this address in your browser to sign in:')
    expect(stderr).toContain('If the browser is on another machine')
    expect(stdout).toBe('Signed in as alice.\n')
    expect(code).toBe(0)
  })
})
