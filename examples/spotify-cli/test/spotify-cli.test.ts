import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { freeLoopbackPort } from '@keyway/testing'
import {
  type SpotifyImitation,
  type SpotifyOptions,
  startSpotify,
} from '@keyway/testing/imitations'
import { describe, expect, it, onTestFinished, vi } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const browser = fileURLToPath(new URL('./fixtures/browser.mjs', import.meta.url))
const execNode = promisify(execFile)

const defaultLibrary = [
  'Your playlists (3):',
  '  Morning Run · 24 tracks',
  '  Deep Focus · 120 tracks · private',
  '  Road Trip with Sam · 57 tracks · collaborative',
  '',
].join('\n')

interface Run {
  readonly stdout: string
  readonly stderr: string
}

/**
 * A Spotify imitation, a home folder, and the built example run in a child `node` as a person
 * would run it: configured by environment, with `$BROWSER` a script that follows redirects.
 */
async function setup(options: SpotifyOptions = {}) {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first.`)
  const imitation = await startSpotify(options)
  const home = await mkdtemp(join(tmpdir(), 'keyway-spotify-cli-'))
  onTestFinished(async () => {
    await imitation.close()
    await rm(home, { recursive: true, force: true })
  })
  const port = await freeLoopbackPort()
  const browserLog = join(home, 'browser.log')
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    SPOTIFY_CLIENT_ID: imitation.client.id,
    SPOTIFY_REDIRECT_PORT: String(port),
    SPOTIFY_ACCOUNTS_URL: imitation.base,
    SPOTIFY_API_URL: imitation.base,
    BROWSER: `${process.execPath} ${browser}`,
    BROWSER_LOG: browserLog,
  }
  const runs: Run[] = []
  const run = async (...args: string[]): Promise<Run> => {
    const { stdout, stderr } = await execNode(process.execPath, [main, ...args], {
      env,
      timeout: 20_000,
    })
    runs.push({ stdout, stderr })
    return { stdout, stderr }
  }
  return {
    imitation,
    port,
    run,
    tokenFile: join(home, 'config', 'keyway-spotify-cli', 'tokens.json'),
    /**
     * Where the browser landed, once it has logged `visits` pages. The browser is a process of
     * its own that logs after the final page came: the app may have finished first.
     */
    browserLanded: (visits: number) =>
      vi.waitFor(
        async () => {
          const lines = (await readFile(browserLog, 'utf8')).trim().split('\n')
          if (lines.length < visits) throw new Error(`the browser logged ${lines.length} pages`)
          return lines
        },
        { timeout: 10_000 },
      ),
    /** Every run's output, to look for secrets in. */
    printed: () => runs.map((output) => output.stdout + output.stderr).join('\n'),
  }
}

/** Every secret the imitation handed out or received: none may be printed. */
function secretsOf(imitation: SpotifyImitation): string[] {
  const tokens = imitation.server.issued.flatMap((issued) => [
    issued.accessToken,
    issued.refreshToken ?? '',
  ])
  const exchanged = imitation
    .to('/api/token', 'POST')
    .flatMap((request) => [request.form.get('code') ?? '', request.form.get('code_verifier') ?? ''])
  return [...tokens, ...exchanged, imitation.client.secret].filter((secret) => secret !== '')
}

const grantTypes = (imitation: SpotifyImitation) =>
  imitation.server.issued.map((issued) => issued.grantType)

describe('spotify-cli against the Spotify imitation', () => {
  it('logs in through the browser once, lists the playlists, then runs and refreshes without asking again', async () => {
    const { imitation, port, run, tokenFile, browserLanded, printed } = await setup()

    const first = await run()
    expect(first.stdout).toBe(defaultLibrary)
    expect(first.stderr).toContain('Not signed in to Spotify: opening the browser.')
    expect(first.stderr).toContain(`\n${imitation.base}/authorize?`)
    expect(first.stderr).toContain(`Signed in; the grant is saved in ${tokenFile}.`)
    expect(await browserLanded(1)).toEqual(['200 /done'])
    const [authorize] = imitation.to('/authorize', 'GET')
    const query = authorize!.url.searchParams
    expect(query.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`)
    expect(query.get('scope')).toBe('playlist-read-private playlist-read-collaborative')
    expect(query.get('code_challenge_method')).toBe('S256')
    expect(grantTypes(imitation)).toEqual(['authorization_code'])
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600)

    const second = await run()
    expect(second.stdout).toBe(defaultLibrary)
    expect(second.stderr).toMatch(/^Signed in with the grant saved in .*: no login needed/)
    expect(second.stderr).not.toContain('/authorize')
    expect(imitation.to('/authorize')).toHaveLength(1)
    expect(grantTypes(imitation)).toEqual(['authorization_code'])
    expect(await browserLanded(1)).toEqual(['200 /done'])

    const third = await run('refresh')
    expect(third.stdout).toBe(defaultLibrary)
    expect(third.stderr).toContain('Spotify rotated the refresh token, and the new one is saved.')
    expect(grantTypes(imitation)).toEqual(['authorization_code', 'refresh_token'])
    const [login, refresh] = imitation.server.issued
    expect(imitation.server.isLive(login!.refreshToken!)).toBe(false)
    const saved = await readFile(tokenFile, 'utf8')
    expect(saved).toContain(refresh!.refreshToken!)
    expect(saved).not.toContain(login!.refreshToken!)
    expect(imitation.to('/v1/me/playlists').at(-1)!.headers.authorization).toBe(
      `Bearer ${refresh!.accessToken}`,
    )
    expect(imitation.to('/authorize')).toHaveLength(1)

    for (const secret of secretsOf(imitation)) expect(printed()).not.toContain(secret)
  })

  it('pages through a long library, refreshes once when Spotify ends the token early, and logs out', async () => {
    const playlists = Array.from({ length: 51 }, (_, i) => ({ name: `Mix ${i + 1}`, tracks: i }))
    const { imitation, run, tokenFile, browserLanded, printed } = await setup({ playlists })

    const first = await run()
    expect(first.stdout.split('\n').slice(0, 2)).toEqual([
      'Your playlists (51):',
      '  Mix 1 · 0 tracks',
    ])
    expect(first.stdout).toContain('\n  Mix 51 · 50 tracks\n')
    const pages = imitation.to('/v1/me/playlists').map((request) => request.url.search)
    expect(pages).toEqual(['?limit=50', '?offset=50&limit=50'])

    imitation.expireAccessTokens()
    const second = await run()
    expect(second.stdout).toBe(first.stdout)
    const statuses = imitation.to('/v1/me/playlists').map((request) => request.status)
    expect(statuses.slice(2)).toEqual([401, 200, 200])
    expect(grantTypes(imitation)).toEqual(['authorization_code', 'refresh_token'])
    expect(imitation.to('/authorize')).toHaveLength(1)

    const logout = await run('logout')
    expect(logout.stderr).toBe(`Signed out: the grant is gone from ${tokenFile}.\n`)
    const again = await run()
    expect(again.stderr).toContain('Not signed in to Spotify: opening the browser.')
    expect(imitation.to('/authorize')).toHaveLength(2)
    expect(await browserLanded(2)).toEqual(['200 /done', '200 /done'])

    for (const secret of secretsOf(imitation)) expect(printed()).not.toContain(secret)
  })

  it('says what to set when the client id is missing', async () => {
    const failed = execNode(process.execPath, [main], { env: { PATH: process.env.PATH } })
    await expect(failed).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('spotify-cli: Set SPOTIFY_CLIENT_ID'),
    })
  })
})
