import {
  DEFAULT_PROFILE,
  type KeywayError,
  STORED_RECORD_VERSION,
  type StoreKey,
} from '@keyway/core'
import { expect, it } from 'vitest'
import type { OpenStores } from './contract.js'
import { fullTokens, minimalTokens, uniqueKey } from './fixtures.js'

/** Load, save, overwrite, delete, key isolation, the persisted form and concurrent saves. */
export function persistenceCases(stores: OpenStores): void {
  it('loads nothing, and reports nothing, for a key never saved', async () => {
    const store = await stores.open()
    const reports: KeywayError[] = []
    expect(
      await store.load(uniqueKey(), { report: (error) => reports.push(error) }),
    ).toBeUndefined()
    expect(reports).toEqual([])
  })

  it('round-trips every field, the expiry as the same epoch milliseconds', async () => {
    const store = await stores.open()
    const [full, minimal] = [uniqueKey(), uniqueKey()]
    const [tokens, least] = [fullTokens('round-trip'), minimalTokens('minimal')]
    await store.save(full, tokens)
    await store.save(minimal, least)
    expect(await store.load(full)).toStrictEqual(tokens)
    expect(await store.load(minimal)).toStrictEqual(least)
    expect((await (await stores.open()).load(full))?.expiresAt).toBe(tokens.expiresAt)
  })

  it('overwrites what was saved before', async () => {
    const store = await stores.open()
    const key = uniqueKey()
    await store.save(key, fullTokens('first'))
    const second = fullTokens('second')
    await store.save(key, second)
    expect(await store.load(key)).toStrictEqual(second)
  })

  it('deletes idempotently', async () => {
    const store = await stores.open()
    const key = uniqueKey()
    await store.delete(key)
    await store.save(key, fullTokens('deleted'))
    await store.delete(key)
    expect(await store.load(key)).toBeUndefined()
    await store.delete(key)
  })

  it('keeps records apart by issuer, client id and profile', async () => {
    const store = await stores.open()
    const base = uniqueKey()
    const keys = [
      base,
      { ...base, issuer: `${base.issuer}/other` },
      { ...base, clientId: `${base.clientId}-other` },
      { ...base, profile: 'work' },
      { ...base, profile: `${DEFAULT_PROFILE} ` },
    ]
    const saved = keys.map((_key, index) => fullTokens(`isolated-${index}`))
    for (const [index, key] of keys.entries()) await store.save(key, saved[index]!)
    for (const [index, key] of keys.entries())
      expect(await store.load(key)).toStrictEqual(saved[index])
    await store.delete(keys[0]!)
    expect(await store.load(keys[0]!)).toBeUndefined()
    expect(await store.load(keys[3]!)).toStrictEqual(saved[3])
  })

  it('keeps every record when two handles save at once', async () => {
    const [a, b] = [await stores.open(), await stores.open()]
    const keys = Array.from({ length: 8 }, () => uniqueKey())
    const saved = keys.map((_, index) => fullTokens(`concurrent-${index}`))
    await Promise.all(keys.map((key, index) => (index % 2 ? a : b).save(key, saved[index]!)))
    for (const [index, key] of keys.entries()) expect(await a.load(key)).toStrictEqual(saved[index])
    const shared = uniqueKey()
    const rivals = [fullTokens('rival-a'), fullTokens('rival-b')]
    await Promise.all([a.save(shared, rivals[0]!), b.save(shared, rivals[1]!)])
    expect(rivals).toContainEqual(await b.load(shared))
  })

  const { atRest } = stores.contract
  if (atRest === undefined) return
  it('keeps no token, nor the DPoP key, in clear on disk, as the backend promises', async () => {
    const store = await stores.open()
    const tokens = fullTokens('at-rest')
    await store.save(uniqueKey(), tokens)
    const onDisk = await atRest()
    expect(onDisk.length).toBeGreaterThan(0)
    const { accessToken, refreshToken, idToken, dpopKey } = tokens
    for (const secret of [accessToken, refreshToken!, idToken!, dpopKey!.d]) {
      expect(onDisk.includes(secret)).toBe(false)
    }
  })
}

/** What the backend really holds, read past the store. */
export function rawCases(stores: OpenStores, readRaw: (key: StoreKey) => Promise<unknown>): void {
  it('persists the current schema version with the save time, as the backend shows', async () => {
    const store = await stores.open()
    const key = uniqueKey()
    const tokens = fullTokens('raw')
    const before = Date.now()
    await store.save(key, tokens)
    const raw = (await readRaw(key)) as Record<string, unknown>
    expect(raw).toEqual({ version: STORED_RECORD_VERSION, savedAt: expect.any(Number), tokens })
    expect(raw.savedAt).toBeGreaterThanOrEqual(before)
  })

  it('leaves nothing of a deleted record in the backend', async () => {
    const store = await stores.open()
    const key = uniqueKey()
    await store.save(key, fullTokens('deleted'))
    await store.delete(key)
    expect(await readRaw(key)).toBeUndefined()
  })
}
