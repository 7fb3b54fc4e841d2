import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileStore } from '@keyway/store-file'
import { redisStore } from '@keyway/store-redis'
import { findExecutable, startRedisServer } from '@keyway/testing'
import { measureCrossProcessRefreshes } from './xproc.js'

/** The built entry of a store package, as the worker processes import it. */
function entryOf(name: string): string {
  return import.meta.resolve(name)
}

/** {@link measureCrossProcessRefreshes} with a file store in a temporary folder. */
export async function measureFileRefreshes(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'keyway-xproc-'))
  try {
    const options = { path: join(dir, 'tokens.json') }
    return await measureCrossProcessRefreshes({
      store: fileStore(options),
      child: { module: entryOf('@keyway/store-file'), factory: 'fileStore', options },
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** {@link measureCrossProcessRefreshes} with a Redis store every process opens with `options`. */
export async function measureRedisRefreshesWith(
  options: Parameters<typeof redisStore>[0],
): Promise<number> {
  const store = redisStore(options)
  try {
    return await measureCrossProcessRefreshes({
      store,
      child: { module: entryOf('@keyway/store-redis'), factory: 'redisStore', options },
    })
  } finally {
    await store.close()
  }
}

/** {@link measureCrossProcessRefreshes} on a redis-server of its own; undefined without one. */
export async function measureRedisRefreshes(): Promise<number | undefined> {
  if (findExecutable('redis-server') === undefined) return undefined
  const server = await startRedisServer()
  try {
    return await measureRedisRefreshesWith({ url: server.url, prefix: 'bench:' })
  } finally {
    await server.close()
  }
}
