import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type StoreKey, storeKeyId } from '@keyway/core'
import { describeTokenStore } from '@keyway/testing/store-contract'
import { afterAll, beforeAll } from 'vitest'
import { fileStore } from '../src/index.js'

let dir = ''
const tokenFile = () => join(dir, 'config', 'tokens.json')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyway-file-contract-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function readRecords(): Promise<Record<string, unknown>> {
  const text = await readFile(tokenFile(), 'utf8').catch(() => undefined)
  return text === undefined
    ? {}
    : (JSON.parse(text) as { records: Record<string, unknown> }).records
}

describeTokenStore('file store', () => fileStore({ path: tokenFile() }), {
  readRaw: async (key: StoreKey) => (await readRecords())[storeKeyId(key)],
  async writeCorrupt(key, text) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      // Not JSON at all: damage the whole file, as a torn write by another program would.
      await writeFile(tokenFile(), text)
      return
    }
    const records = { ...(await readRecords()), [storeKeyId(key)]: json }
    await writeFile(tokenFile(), JSON.stringify({ version: 1, records }))
  },
  async countSetAside() {
    const names = await readdir(join(dir, 'config'))
    return names.filter((name) => name.startsWith('tokens.json.corrupt-')).length
  },
  leaseMs: 2_000,
})
