import { fileURLToPath } from 'node:url'
import { startNodeScript } from '@keyway/testing'
import { describe, expect, it, onTestFinished } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))

/** Runs the built demo as `pnpm demo` does unattended: stdin is not a terminal. */
function runDemo() {
  const demo = startNodeScript(main, { stdin: 'ignore' })
  onTestFinished(() => {
    demo.child.kill()
  })
  return demo.exited
}

describe('pnpm demo, unattended', () => {
  it('logs in through the loopback receiver, refreshes, and ends with the word authorized', async () => {
    const { code, stdout, stderr } = await runDemo()
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines.at(-1)).toBe('authorized')
    expect(lines).toContain('  state: authorizing → exchanging')
    expect(lines).toContain('  state: refreshing → authorized')
    expect(stdout).toContain('refresh token rotated: yes')
  })

  it('prints no token, code or verifier: only redacted summaries and fingerprints', async () => {
    const { stdout } = await runDemo()
    const withoutAddresses = stdout.replace(/https?:\/\/\S+/g, '')
    // The dev provider's tokens and codes are long base64url strings; none may be printed.
    expect(withoutAddresses.match(/[A-Za-z0-9_-]{32,}/g) ?? []).toEqual([])
  })
})
