import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { type KeywayError, KeywayErrorCodes, STORED_RECORD_VERSION } from '@keyway/core'
import { fullTokens, uniqueKey } from '@keyway/testing/store-contract'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { expandHome, fileStore, resolveTokenPath, TOKEN_FILE_VERSION } from '../src/index.js'

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyway-file-store-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const modeOf = async (path: string) => (await stat(path)).mode & 0o777

describe.skipIf(process.platform === 'win32')('permissions', () => {
  it('creates the folder 0700 and the file 0600, and keeps 0600 across rewrites', async () => {
    const path = join(dir, 'nested', 'app', 'tokens.json')
    const store = fileStore({ path })
    await store.save(uniqueKey(), fullTokens('modes'))
    expect(await modeOf(join(dir, 'nested', 'app'))).toBe(0o700)
    expect(await modeOf(join(dir, 'nested'))).toBe(0o700)
    expect(await modeOf(path)).toBe(0o600)
    await store.save(uniqueKey(), fullTokens('again'))
    expect(await modeOf(path)).toBe(0o600)
  })
})

describe('the file', () => {
  it('holds a layout version and records with their schema version, and no temporary file', async () => {
    const path = join(dir, 'tokens.json')
    const store = fileStore({ path })
    const key = uniqueKey()
    await store.save(key, fullTokens('layout'))
    const file = JSON.parse(await readFile(path, 'utf8'))
    expect(file.version).toBe(TOKEN_FILE_VERSION)
    expect(Object.values(file.records)).toEqual([
      expect.objectContaining({ version: STORED_RECORD_VERSION }),
    ])
    const lock = await store.lock(key, { leaseMs: 5_000 })
    await lock.release()
    expect(await readdir(dir)).toEqual(['tokens.json'])
  })

  it('sets a damaged file aside whole, keeping its text, and starts a new one', async () => {
    const path = join(dir, 'tokens.json')
    await writeFile(path, '{"version":1,"records":{"torn', { mode: 0o600 })
    const store = fileStore({ path })
    const reports: KeywayError[] = []
    expect(
      await store.load(uniqueKey(), { report: (error) => reports.push(error) }),
    ).toBeUndefined()
    expect(reports.map((error) => error.code)).toEqual([KeywayErrorCodes.storeError])
    const aside = (await readdir(dir)).filter((name) => name.startsWith('tokens.json.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe('{"version":1,"records":{"torn')
    const key = uniqueKey()
    const tokens = fullTokens('after')
    await store.save(key, tokens)
    expect(await store.load(key)).toStrictEqual(tokens)
  })

  it('reads a save made by another handle at once, as another process would', async () => {
    const path = join(dir, 'tokens.json')
    const key = uniqueKey()
    const tokens = fullTokens('shared')
    await fileStore({ path }).save(key, tokens)
    expect(await fileStore({ path }).load(key)).toStrictEqual(tokens)
  })
})

describe('the path', () => {
  it('expands ~ to the home folder', () => {
    expect(expandHome('~')).toBe(homedir())
    expect(expandHome('~/app/tokens.json')).toBe(join(homedir(), 'app', 'tokens.json'))
    expect(expandHome('/srv/~/tokens.json')).toBe('/srv/~/tokens.json')
    expect(fileStore({ path: '~/.config/app/tokens.json' }).path).toBe(
      join(homedir(), '.config', 'app', 'tokens.json'),
    )
  })

  it('defaults to tokens.json in the app’s config folder', () => {
    const path = resolveTokenPath({ appName: 'keyway-example' })
    expect(path.endsWith(join('keyway-example', 'tokens.json'))).toBe(true)
    if (process.platform === 'linux' && process.env.XDG_CONFIG_HOME === undefined) {
      expect(path).toBe(join(homedir(), '.config', 'keyway-example', 'tokens.json'))
    }
  })

  it('needs a path or an app name', () => {
    expect(() => fileStore({})).toThrow(expect.objectContaining({ code: 'config_error' }))
  })
})
