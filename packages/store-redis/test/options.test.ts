import { KeywayErrorCodes } from '@keyway/core'
import { describe, expect, it } from 'vitest'
import { type RedisStoreOptions, redisStore } from '../src/index.js'

const refused: readonly [string, RedisStoreOptions, RegExp][] = [
  ['url and cluster', { url: 'redis://127.0.0.1:6379', cluster: { nodes: [7000] } }, /one of/],
  ['a negative minReplicas', { minReplicas: -1 }, /minReplicas/],
  ['a fractional minReplicas', { minReplicas: 0.5 }, /minReplicas/],
  ['a zero replicaTimeout', { replicaTimeout: 0 }, /replicaTimeout/],
  ['an infinite replicaTimeout', { replicaTimeout: Number.POSITIVE_INFINITY }, /replicaTimeout/],
]

describe('redisStore options', () => {
  it.each(refused)('refuses %s with config_error, before connecting', (_, options, message) => {
    expect(() => redisStore(options)).toThrow(
      expect.objectContaining({
        code: KeywayErrorCodes.configError,
        message: expect.stringMatching(message),
      }),
    )
  })

  it('takes 0 replicas, a timeout, and a Cluster of nodes without connecting', async () => {
    const store = redisStore({
      cluster: { nodes: [{ host: '127.0.0.1', port: 1 }] },
      minReplicas: 0,
      replicaTimeout: 50,
    })
    expect(store.name).toBe('redis')
    await store.close()
  })
})
