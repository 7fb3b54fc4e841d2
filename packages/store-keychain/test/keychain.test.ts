import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type KeywayError, KeywayErrorCodes, storeKeyId } from '@keyway/core'
import { fullTokens, uniqueKey } from '@keyway/testing/store-contract'
import { findCredentialsAsync } from '@napi-rs/keyring'
import { beforeAll, describe, expect, it } from 'vitest'
import { splitText } from '../src/chunked-value.js'
import { keychainStore } from '../src/index.js'
import { secretServicePrograms, useSecretService } from './use-secret-service.js'

let lockDir = ''
beforeAll(async () => {
  lockDir = await mkdtemp(join(tmpdir(), 'keyway-keychain-locks-'))
})

/** Runs the absent-keychain script on the build, in a child whose session bus is not there. */
async function withoutSecretService(): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('./fixtures/absent-keychain.mjs', import.meta.url))
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(lockDir, 'no-bus')}` }
  const service = `keyway-absent-${randomUUID()}`
  const { stdout } = await promisify(execFile)(process.execPath, [script, service, lockDir], {
    env,
  })
  return JSON.parse(stdout) as Record<string, unknown>
}

async function accountsOf(service: string): Promise<string[]> {
  return (await findCredentialsAsync(service)).map((entry) => entry.account).sort()
}

describe('splitText', () => {
  it('cuts at the size, and never between the halves of a surrogate pair', () => {
    expect(splitText('abcdefg', 3)).toEqual(['abc', 'def', 'g'])
    expect(splitText('ab😀cd', 3)).toEqual(['ab', '😀c', 'd'])
    expect(splitText('ab😀cd', 3).join('')).toBe('ab😀cd')
  })
})

describe.skipIf(secretServicePrograms === undefined)('against a real Secret Service', () => {
  useSecretService()

  it('splits a long record across entries, and leaves no part behind when it shrinks', async () => {
    const service = `keyway-chunks-${randomUUID()}`
    const store = keychainStore({ service, lockDir, chunkSize: 100 })
    const key = uniqueKey()
    const tokens = fullTokens('long')
    await store.save(key, tokens)
    const account = storeKeyId(key)
    const credentials = await findCredentialsAsync(service)
    const parts = credentials.filter((entry) => entry.account.startsWith(`${account}#`))
    expect(parts.length).toBeGreaterThanOrEqual(3)
    for (const part of parts) expect(part.password.length).toBeLessThanOrEqual(100)
    expect(await store.load(key)).toStrictEqual(tokens)
    const short = { accessToken: 'short', tokenType: 'Bearer' } // about 80 characters stored
    await store.save(key, short)
    expect(await accountsOf(service)).toEqual([account])
    expect(await store.load(key)).toStrictEqual(short)
    await store.delete(key)
    expect(await accountsOf(service)).toEqual([])
  })

  it('reports a split record whose parts are gone, and sets its head aside', async () => {
    const service = `keyway-broken-${randomUUID()}`
    const store = keychainStore({ service, lockDir, chunkSize: 64 })
    const key = uniqueKey()
    await store.save(key, fullTokens('broken'))
    const { AsyncEntry } = await import('@napi-rs/keyring')
    const account = storeKeyId(key)
    const [part] = (await accountsOf(service)).filter((name) => name !== account)
    await new AsyncEntry(service, part!, { linux: { store: 'secret-service' } }).deleteCredential()
    const reports: KeywayError[] = []
    expect(await store.load(key, { report: (error) => reports.push(error) })).toBeUndefined()
    expect(reports.map((error) => error.code)).toEqual([KeywayErrorCodes.storeError])
    const left = await accountsOf(service)
    expect(left.filter((name) => name.startsWith(`${account}#corrupt#`))).toHaveLength(1)
    expect(left).not.toContain(account)
  })

  it('is available', async () => {
    expect(await keychainStore({ service: 'keyway-probe', lockDir }).isAvailable()).toBe(true)
  })

  it('without a Secret Service: unavailable, no silent fallback, only the chosen one, announced', async () => {
    const result = await withoutSecretService()
    expect(result).toMatchObject({
      available: false,
      save: KeywayErrorCodes.storeUnavailable,
      load: KeywayErrorCodes.storeUnavailable,
      fallbackSave: 'ok',
      inFallback: true,
      loadedThroughFallback: true,
      lock: 'ok',
    })
    expect(result.reports).toEqual([expect.stringContaining('fallback memory store')])
    expect(result.warnings).toEqual([expect.stringContaining('fallback memory store')])
  })
})
