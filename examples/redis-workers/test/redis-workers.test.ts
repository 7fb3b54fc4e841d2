import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { requireProgram, startRedisServer } from '@keyway/testing'
import { describe, expect, it, onTestFinished } from 'vitest'

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const execNode = promisify(execFile)
const redisProgram = requireProgram('redis-server', 'the redis-workers example test')

describe.skipIf(redisProgram === undefined)('redis-workers against a real redis-server', () => {
  it('logs in once, and three worker processes share each refresh of the grant', async () => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`pnpm build\` first.`)
    const redis = await startRedisServer({ program: redisProgram })
    onTestFinished(() => redis.close())

    const { stdout } = await execNode(process.execPath, [main], {
      env: { PATH: process.env.PATH, REDIS_URL: redis.url, WORKERS: '3', RUN_SECONDS: '4' },
      timeout: 30_000,
    })

    expect(stdout).toContain(`the grant is in Redis at ${redis.url}. Starting 3 workers.`)
    const [, handed] = /and were handed (\d+) access tokens/.exec(stdout) ?? []
    const [, refreshes, refused] =
      /saw (\d+) refreshes for the whole fleet, and refused (\d+)/.exec(stdout) ?? []
    expect(Number(refreshes)).toBeGreaterThan(0)
    // One refresh per new token, whichever worker made it: never one per worker. The run may
    // end right after a refresh, before any worker was handed its token.
    expect(Number(handed)).toBeGreaterThanOrEqual(Number(refreshes))
    expect(Number(handed)).toBeLessThanOrEqual(Number(refreshes) + 1)
    expect(refused).toBe('0')
    for (const worker of ['worker 1', 'worker 2', 'worker 3']) {
      const seen = stdout.split('\n').filter((line) => line.startsWith(`${worker}: access token `))
      expect(seen.length).toBeGreaterThan(1)
    }
    expect(stdout).toContain('Logged out: the grant is revoked and gone from Redis.')
    // Fingerprints only: no line but the authorization URL holds anything token-sized.
    const lines = stdout.split('\n').filter((line) => !line.startsWith('http://'))
    for (const line of lines) expect(line).not.toMatch(/[\w-]{40,}/)
  })
})
