import { fileURLToPath } from 'node:url'
import { startNodeScript } from '@keyway/testing'
import { describe, expect, it, onTestFinished } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))

/** Runs the built example unattended (stdin not a terminal), with `env` as its settings. */
async function runExample(env: Record<string, string> = {}) {
  const run = startNodeScript(main, { stdin: 'ignore', env })
  onTestFinished(() => {
    run.child.kill()
  })
  const { code, stdout, stderr } = await run.exited
  return { code, stdout, stderr, lines: stdout.trimEnd().split('\n') }
}

/** The Keyway child's top-level states, in the order it went through them. */
function keywayStates(lines: readonly string[]): string[] {
  return lines
    .filter((line) => line.startsWith('keyway: '))
    .map((line) => (line.split(' → ')[1] ?? line.slice('keyway: '.length)).split('.')[0]!)
}

/** What the dev provider counted, as the example prints it. */
function providerCounts(lines: readonly string[]) {
  const counted = lines.map((line) =>
    /^provider: (\d+) login, (\d+) refresh, (\d+) userinfo requests$/.exec(line),
  )
  const [, login, refresh, userinfo] = counted.find((match) => match !== null) ?? []
  return { login: Number(login), refresh: Number(refresh), userinfo: Number(userinfo) }
}

describe('compose: an app machine with Keyway as its child, unattended', () => {
  it('logs in once, has the child refresh when a token runs short, and ends the sync done', async () => {
    const { code, stdout, stderr, lines } = await runExample()
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(lines.at(-1)).toBe('done')
    expect(lines).toContain('sync:   4 pages synced for "alice"')

    const states = keywayStates(lines)
    expect(states.slice(0, 8)).toEqual([
      'restoring',
      'restored',
      'idle',
      'authorizing',
      'exchanging',
      'authorized',
      'refreshing',
      'authorized',
    ])
    // The parent asked for the refresh, and went on once the child was authorized again.
    const asked = lines.indexOf(
      'app:    the access token has under 1.5 s left: sending token.refresh to keyway',
    )
    expect(asked).toBeGreaterThan(0)
    expect(lines.slice(asked)).toContain('keyway: authorized.waiting → refreshing')
    expect(lines.slice(asked)).toContain('app:    syncing.renewing → syncing.fetching')

    const counted = providerCounts(lines)
    expect(counted.login).toBe(1)
    expect(counted.refresh).toBeGreaterThanOrEqual(1)
    expect(counted.userinfo).toBe(4)
    // One `tokens` event per login or refresh, heard by the parent through the child's ref.
    expect(lines.filter((line) => line.includes('heard keyway emit "tokens"'))).toHaveLength(
      counted.login + counted.refresh,
    )

    // The dev provider's tokens and codes are long base64url strings; none may be printed.
    const withoutAddresses = stdout.replace(/https?:\/\/\S+/g, '')
    expect(withoutAddresses.match(/[A-Za-z0-9_-]{32,}/g) ?? []).toEqual([])
  })

  it('a grant revoked mid-sync: the refresh is refused, the child emits loginRequired, the app fails', async () => {
    const { code, lines } = await runExample({ REVOKE_AFTER_PAGE: '2' })
    expect(code).toBe(1)
    expect(lines.at(-1)).toBe('failed')
    expect(lines).toContain('admin:  every grant revoked at the provider')
    expect(keywayStates(lines).slice(-2)).toEqual(['refreshing', 'loginRequired'])
    expect(lines).toContain('app:    syncing.renewing → failed')
    expect(lines.find((line) => line.startsWith('sync:   failed: '))).toMatch(
      /^sync: {3}failed: login_required: /,
    )
    expect(providerCounts(lines)).toEqual({ login: 1, refresh: 0, userinfo: 2 })
  })

  it('tokens shorter than a page needs: one refresh, then the app fails instead of looping', async () => {
    const { code, lines } = await runExample({ TOKEN_TTL_MS: '1000' })
    expect(code).toBe(1)
    expect(lines.at(-1)).toBe('failed')
    expect(lines).toContain('app:    syncing.renewing → syncing.fetching')
    expect(lines).toContain('app:    syncing.fetching → failed')
    expect(providerCounts(lines)).toEqual({ login: 1, refresh: 1, userinfo: 0 })
  })

  it('a login nobody completes: the app sends login.cancel with a timeout error', async () => {
    const { code, lines } = await runExample({ LOGIN_TIMEOUT_MS: '1' })
    expect(code).toBe(1)
    expect(keywayStates(lines)).toEqual(['restoring', 'restored', 'idle', 'authorizing', 'idle'])
    expect(lines).toContain('sync:   failed: timeout: Nobody signed in within 1 ms.')
    expect(providerCounts(lines)).toEqual({ login: 0, refresh: 0, userinfo: 0 })
  })
})
