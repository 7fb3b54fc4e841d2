import { type KeywayError, KeywayErrorCodes } from '@keyway/core'
import { expect, it } from 'vitest'
import type { OpenStores, TokenStoreContract } from './contract.js'
import { CORRUPT_MARKER, corruptRecords, fullTokens, uniqueKey } from './fixtures.js'

/** Damaged data: reported as `store_error`, read as empty, set aside, never a crash. */
export function damageCases(
  stores: OpenStores,
  backend: Required<Pick<TokenStoreContract, 'readRaw' | 'writeCorrupt'>>,
): void {
  for (const [damage, text] of Object.entries(corruptRecords)) {
    it(`reports ${damage} as store_error, loads nothing, and sets it aside`, async () => {
      const store = await stores.open()
      const key = uniqueKey()
      const neighbour = uniqueKey()
      const kept = fullTokens('neighbour')
      await store.save(neighbour, kept)
      await backend.writeCorrupt(key, text)
      const reports: KeywayError[] = []
      expect(await store.load(key, { report: (error) => reports.push(error) })).toBeUndefined()
      expect(reports.map((error) => error.code)).toEqual([KeywayErrorCodes.storeError])
      expect(JSON.stringify(reports[0])).not.toContain(CORRUPT_MARKER)
      expect(reports[0]?.message).not.toContain(CORRUPT_MARKER)
      expect(await backend.readRaw(key)).toBeUndefined()
      if (stores.contract.countSetAside !== undefined) {
        expect(await stores.contract.countSetAside(key)).toBeGreaterThanOrEqual(1)
      }
      const again: KeywayError[] = []
      expect(await store.load(key, { report: (error) => again.push(error) })).toBeUndefined()
      expect(again).toEqual([])
      const fresh = fullTokens('after-damage')
      await store.save(key, fresh)
      expect(await store.load(key)).toStrictEqual(fresh)
      if ((await backend.readRaw(neighbour)) !== undefined) {
        expect(await store.load(neighbour)).toStrictEqual(kept)
      }
    })
  }

  it('loads without a report callback, and still does not throw on damage', async () => {
    const store = await stores.open()
    const key = uniqueKey()
    await backend.writeCorrupt(key, Object.values(corruptRecords)[0]!)
    expect(await store.load(key)).toBeUndefined()
  })
}
