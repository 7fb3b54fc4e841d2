/**
 * A child process for the cross-process tests (run from `dist/`, started by `TokenWorkers`,
 * `startLockHolder` and `startRefresher`): opens the store under test and either calls
 * `getAccessToken()` in a loop until told to report, takes the store's lock and holds it until
 * killed, or gets one token (refreshing it when due) and exits. It prints nothing: it answers
 * over the IPC channel, with token digests only.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { createKeyway, isKeywayError, type TokenStore } from '@keyway/core'
import {
  type ParentMessage,
  type SeenToken,
  tokenDigest,
  type WorkerConfig,
  type WorkerMessage,
} from './protocol.js'

function send(message: WorkerMessage): void {
  process.send?.(message)
}

async function openStore(config: WorkerConfig): Promise<TokenStore & { close?(): Promise<void> }> {
  const module = (await import(config.store.module)) as Record<string, unknown>
  const factory = module[config.store.factory]
  if (typeof factory !== 'function') throw new Error(`no factory ${config.store.factory}`)
  return factory(config.store.options) as TokenStore
}

async function holdLock(config: Extract<WorkerConfig, { mode: 'hold-lock' }>) {
  const store = await openStore(config)
  await store.lock?.(config.key, { leaseMs: config.leaseMs })
  send({ type: 'locked' })
  // Hold until the parent kills this process.
  setInterval(() => undefined, 60_000)
}

async function refreshOnce(config: Extract<WorkerConfig, { mode: 'refresh' }>) {
  const store = await openStore(config)
  const kw = createKeyway({
    issuer: config.issuer,
    clientId: config.clientId,
    profile: config.profile,
    store,
    lockLease: config.lockLease,
  })
  await kw.ready()
  send({ type: 'ready' })
  try {
    send({ type: 'refreshed', digest: tokenDigest(await kw.getAccessToken()) })
  } catch (error) {
    send({ type: 'refresh-failed', code: isKeywayError(error) ? error.code : 'unexpected' })
  }
  await kw.stop()
  await store.close?.()
  process.disconnect?.()
}

async function poll(config: Extract<WorkerConfig, { mode: 'poll' }>) {
  const store = await openStore(config)
  const kw = createKeyway({
    issuer: config.issuer,
    clientId: config.clientId,
    store,
    refreshMargin: config.refreshMargin,
    lockLease: config.lockLease,
  })
  const seen = new Map<string, SeenToken>()
  const failures: Record<string, number> = {}
  const fail = (what: string) => {
    failures[what] = (failures[what] ?? 0) + 1
  }
  kw.on('tokens', (tokens) => {
    const digest = tokenDigest(tokens.accessToken)
    seen.set(digest, { digest, expiresAt: tokens.expiresAt })
  })
  kw.on('error', (error) => fail(`event:${error.code}`))
  kw.on('loginRequired', (error) => fail(`event:${error.code}`))
  let calls = 0
  let last = ''
  let looping = true
  const loop = (async () => {
    while (looping) {
      try {
        last = tokenDigest(await kw.getAccessToken())
      } catch (error) {
        fail(`call:${isKeywayError(error) ? error.code : 'unexpected'}`)
      }
      calls += 1
      await sleep(config.pollMs)
    }
  })()
  process.on('message', async (message: ParentMessage) => {
    if (message.type === 'exit') {
      await kw.stop()
      await store.close?.()
      process.exit(0)
    }
    looping = false
    await loop
    try {
      last = tokenDigest(await kw.getAccessToken())
    } catch (error) {
      fail(`call:${isKeywayError(error) ? error.code : 'unexpected'}`)
    }
    send({ type: 'final', final: last, seen: [...seen.values()], failures, calls })
  })
  await kw.ready()
  send({ type: 'ready' })
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig
const modes = { 'hold-lock': holdLock, poll, refresh: refreshOnce } as const
await (modes[config.mode] as (config: WorkerConfig) => Promise<void>)(config)
