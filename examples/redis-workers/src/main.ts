import { fork } from 'node:child_process'
import { createKeyway } from '@keyway/core'
import { loopback } from '@keyway/loopback'
import { redisStore } from '@keyway/store-redis'
import { ScriptedBrowser, startDevProvider } from '@keyway/testing'
import type { WorkerReport } from './worker.js'

const say = (line: string) => process.stdout.write(`${line}\n`)

/** The provider and Redis every process of the fleet is given. */
interface Fleet {
  readonly ISSUER: string
  readonly CLIENT_ID: string
  readonly REDIS_URL: string
}

/** Starts `worker.js` in its own `node` process; resolves with its report. */
function runWorker(name: string, fleet: Fleet, runMs: number): Promise<WorkerReport> {
  const child = fork(new URL('./worker.js', import.meta.url), {
    // Tokens here live 4 s: refreshing 2 s before expiry shows a refresh every 2 s.
    env: {
      ...process.env,
      ...fleet,
      WORKER_NAME: name,
      RUN_MS: String(runMs),
      REFRESH_MARGIN_MS: '2000',
    },
  })
  return new Promise((resolve, reject) => {
    child.once('message', (report) => resolve(report as WorkerReport))
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) without a report.`)))
  })
}

/**
 * One login, then a fleet of worker processes that share its grant through Redis. The tokens
 * live 4 s, so within a few seconds the fleet refreshes a few times, once each time the token
 * is due, and every worker is handed the same new token.
 */
async function main(): Promise<void> {
  const workers = Number(process.env.WORKERS ?? 3)
  const runMs = Number(process.env.RUN_SECONDS ?? 5) * 1000
  const dev = await startDevProvider({ accessTokenTtl: 4_000 })
  const fleet: Fleet = {
    ISSUER: dev.issuer,
    CLIENT_ID: dev.clients.native.clientId,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  }
  const provider = { issuer: fleet.ISSUER, clientId: fleet.CLIENT_ID }
  const store = redisStore({ url: fleet.REDIS_URL })
  try {
    // The login a person does once (at a terminal, a browser opens; unattended, a scripted
    // person signs in at the dev provider). It ends with the grant in Redis.
    const login = createKeyway({
      ...provider,
      scopes: ['openid', 'offline_access'],
      transport: loopback({
        open: process.stdin.isTTY ? true : (url) => new ScriptedBrowser().authorize(url),
        output: process.stdout,
      }),
      store,
    })
    await login.login({ timeout: 300_000 })
    await login.stop()
    say(`Logged in once; the grant is in Redis at ${fleet.REDIS_URL}. Starting ${workers} workers.`)

    const names = Array.from({ length: workers }, (_, index) => `worker ${index + 1}`)
    const reports = await Promise.all(names.map((name) => runWorker(name, fleet, runMs)))

    const calls = reports.reduce((sum, report) => sum + report.calls, 0)
    const tokens = new Set(reports.flatMap((report) => report.tokens))
    say(
      `${workers} workers made ${calls} getAccessToken() calls in ${runMs / 1000} s, and were ` +
        `handed ${tokens.size} access tokens: ${[...tokens].join(' → ')}.`,
    )
    const refreshes = dev.counters.grants.refresh_token ?? 0
    const refused = Object.values(dev.counters.grantErrors).reduce((sum, count) => sum + count, 0)
    say(`The provider saw ${refreshes} refreshes for the whole fleet, and refused ${refused}.`)

    // Logging out anywhere revokes the grant and removes it from Redis for every worker.
    const admin = createKeyway({ ...provider, store })
    await admin.logout()
    await admin.stop()
    say('Logged out: the grant is revoked and gone from Redis.')
  } finally {
    await store.close()
    await dev.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`redis-workers: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
