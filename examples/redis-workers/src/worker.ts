import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { createKeyway } from '@keyway/core'
import { redisStore } from '@keyway/store-redis'

/** What a worker tells the process that started it, when its run is over. */
export interface WorkerReport {
  readonly calls: number
  /** The access tokens it was handed, in order, as fingerprints. */
  readonly tokens: readonly string[]
}

/** Tells two tokens apart without showing either. */
const fingerprint = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 8)

/**
 * One worker of a fleet that shares a grant kept in Redis. It never logs in (it has no
 * transport): it asks for a token whenever a job needs one. When the token is due, one worker
 * of the fleet refreshes it under the store's lock and saves it; the others, waiting on the
 * lock, read the new tokens from Redis instead of refreshing again.
 */
async function work(): Promise<void> {
  const { ISSUER, CLIENT_ID, REDIS_URL, WORKER_NAME = 'worker' } = process.env
  if (!ISSUER || !CLIENT_ID || !REDIS_URL) throw new Error('Set ISSUER, CLIENT_ID and REDIS_URL.')
  const store = redisStore({ url: REDIS_URL })
  const kw = createKeyway({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    store,
    // Refresh this long before expiry. Keyway's default, 60 s, suits tokens that live an hour.
    refreshMargin: Number(process.env.REFRESH_MARGIN_MS ?? 60_000),
  })
  const tokens: string[] = []
  let calls = 0
  try {
    const until = Date.now() + Number(process.env.RUN_MS ?? 5_000)
    while (Date.now() < until) {
      // A job's API calls would send this as `Authorization: Bearer …`.
      const token = fingerprint(await kw.getAccessToken())
      calls += 1
      if (token !== tokens.at(-1)) {
        tokens.push(token)
        process.stdout.write(`${WORKER_NAME}: access token ${token}\n`)
      }
      await sleep(100)
    }
  } finally {
    await kw.stop()
    await store.close()
  }
  process.send?.({ calls, tokens } satisfies WorkerReport)
}

work().catch((error: unknown) => {
  process.stderr.write(`worker: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
