import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type GitHubOptions, startGitHub } from '@keyway/testing/imitations'
import { describe, expect, it, onTestFinished } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const execNode = promisify(execFile)

/** Runs the built example in a child `node` against a GitHub imitation. */
async function runAgainstImitation(options: GitHubOptions) {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first.`)
  const imitation = await startGitHub({ deviceInterval: 1, ...options })
  onTestFinished(() => imitation.close())
  const env = {
    PATH: process.env.PATH,
    GITHUB_CLIENT_ID: imitation.client.id,
    GITHUB_URL: imitation.base,
    GITHUB_API_URL: imitation.base,
  }
  const output = await execNode(process.execPath, [main], { env, timeout: 20_000 })
  const secrets = imitation.server.issued.flatMap((issued) => [
    issued.accessToken,
    issued.refreshToken ?? '',
  ])
  return { imitation, ...output, secrets: secrets.filter((secret) => secret !== '') }
}

describe('github-device against the GitHub imitation', () => {
  it('shows the code, waits while the person has not approved, then calls the API', async () => {
    const { imitation, stdout, stderr, secrets } = await runAgainstImitation({
      devicePolls: ['authorization_pending'],
    })

    expect(stdout).toBe('GitHub knows you as imitation-octocat.\n')
    expect(stderr).toContain(`\n${imitation.base}/login/device\n\nand enter this code: WDJB-MJHT\n`)
    expect(stderr).toContain(
      'Approved.\nSigned in: no expiry (an OAuth App token lasts until revoked), no refresh token, scopes "read:user".\n',
    )
    expect(imitation.devicePolls).toEqual(['authorization_pending', 'tokens'])
    const [start] = imitation.to('/login/device/code', 'POST')
    expect(start!.form.get('scope')).toBe('read:user')
    expect(start!.form.has('client_secret')).toBe(false)
    for (const secret of secrets) expect(stdout + stderr).not.toContain(secret)
  })

  it('tells a GitHub App with expiring user tokens from an OAuth App', async () => {
    const { stderr, secrets } = await runAgainstImitation({ expiringUserTokens: true })

    expect(stderr).toContain('Signed in: expires in 8 h, a refresh token, scopes "read:user".\n')
    for (const secret of secrets) expect(stderr).not.toContain(secret)
  })
})
