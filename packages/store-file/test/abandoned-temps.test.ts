import { randomBytes } from 'node:crypto'
import { chown, lstat, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { KeywayError } from '@keyway/core'
import { fullTokens, uniqueKey } from '@keyway/testing/store-contract'
import { describe, expect, it } from 'vitest'
import { fileStore } from '../src/index.js'
import { hostTag } from '../src/temp-name.js'
import {
  canChownToOtherUser,
  endedPid,
  folderPerTest,
  modeOf,
  OTHER_UID,
  runningProcess,
  tokenFileText,
} from './support/folders.js'

const folder = folderPerTest('keyway-file-temps-')

const tokenPath = () => join(folder(), 'tokens.json')

/** A temp file of `tokens.json` as the writer `pid` (of machine `host`) names it. */
async function leaveTemp(
  pid: number,
  text: string,
  options: { readonly host?: string; readonly ageSeconds?: number } = {},
): Promise<string> {
  const name = `.tokens.json.${pid}-${options.host ?? hostTag()}.${randomBytes(6).toString('hex')}.tmp`
  const path = join(folder(), name)
  await writeFile(path, text, { mode: 0o600 })
  const at = Date.now() / 1000 - (options.ageSeconds ?? 0)
  await utimes(path, at, at)
  return name
}

/** A token file whose last write was `ageSeconds` ago. */
async function oldTokenFile(text: string, ageSeconds: number): Promise<void> {
  await writeFile(tokenPath(), text, { mode: 0o600 })
  const at = Date.now() / 1000 - ageSeconds
  await utimes(tokenPath(), at, at)
}

const tempsLeft = async () => (await readdir(folder())).filter((name) => name.endsWith('.tmp'))

async function loadReporting(key = uniqueKey()) {
  const reports: KeywayError[] = []
  const tokens = await fileStore({ path: tokenPath() }).load(key, {
    report: (error) => reports.push(error),
  })
  return { tokens, reports }
}

describe('a temp file whose writer’s process is gone', () => {
  it('holding a whole token file newer than the file: the next load finishes the write', async () => {
    const key = uniqueKey()
    await oldTokenFile(tokenFileText(key, fullTokens('before')), 60)
    const refreshed = fullTokens('refreshed')
    const text = tokenFileText(key, refreshed)
    await leaveTemp(await endedPid(), text)
    const { tokens, reports } = await loadReporting(key)
    expect(tokens).toStrictEqual(refreshed)
    expect(reports).toEqual([])
    expect(await tempsLeft()).toEqual([])
    expect(await readFile(tokenPath(), 'utf8')).toBe(text)
    expect(await modeOf(tokenPath())).toBe(0o600)
  })

  it('holding a whole token file where there is none yet: the next load makes it', async () => {
    const key = uniqueKey()
    const first = fullTokens('first-save')
    await leaveTemp(await endedPid(), tokenFileText(key, first))
    expect((await loadReporting(key)).tokens).toStrictEqual(first)
    expect(await tempsLeft()).toEqual([])
  })

  it('torn mid-write: the next load deletes it and keeps the file', async () => {
    const key = uniqueKey()
    const kept = fullTokens('kept')
    await oldTokenFile(tokenFileText(key, kept), 60)
    const whole = tokenFileText(key, fullTokens('torn'))
    await leaveTemp(await endedPid(), whole.slice(0, whole.length / 2))
    await leaveTemp(await endedPid(), '')
    const { tokens, reports } = await loadReporting(key)
    expect(tokens).toStrictEqual(kept)
    expect(reports).toEqual([])
    expect(await tempsLeft()).toEqual([])
  })

  it('older than the file: the next load deletes it and keeps the newer file', async () => {
    const key = uniqueKey()
    const newer = fullTokens('newer')
    await oldTokenFile(tokenFileText(key, newer), 10)
    await leaveTemp(await endedPid(), tokenFileText(key, fullTokens('older')), { ageSeconds: 60 })
    expect((await loadReporting(key)).tokens).toStrictEqual(newer)
    expect(await tempsLeft()).toEqual([])
  })

  it('several: the newest whole one wins, oldest first, and none is left', async () => {
    const key = uniqueKey()
    await oldTokenFile(tokenFileText(key, fullTokens('file')), 60)
    const newest = fullTokens('newest')
    await leaveTemp(await endedPid(), tokenFileText(key, fullTokens('middle')), { ageSeconds: 20 })
    await leaveTemp(await endedPid(), tokenFileText(key, newest), { ageSeconds: 10 })
    await leaveTemp(await endedPid(), '{"version":1,"rec', { ageSeconds: 5 })
    expect((await loadReporting(key)).tokens).toStrictEqual(newest)
    expect(await tempsLeft()).toEqual([])
  })

  it('is settled by the next save as well, which then builds on the finished write', async () => {
    const key = uniqueKey()
    const refreshed = fullTokens('refreshed')
    await oldTokenFile(tokenFileText(key, fullTokens('before')), 60)
    await leaveTemp(await endedPid(), tokenFileText(key, refreshed))
    const other = uniqueKey()
    const store = fileStore({ path: tokenPath() })
    await store.save(other, fullTokens('other'))
    expect(await tempsLeft()).toEqual([])
    expect(await store.load(key)).toStrictEqual(refreshed)
  })
})

describe('a temp file left alone by the next load and save', () => {
  it('when its writer still runs, until that process is gone', async () => {
    const key = uniqueKey()
    const before = fullTokens('before')
    await oldTokenFile(tokenFileText(key, before), 60)
    const writer = runningProcess()
    try {
      const refreshed = fullTokens('in-flight')
      const name = await leaveTemp(writer.pid, tokenFileText(key, refreshed))
      expect((await loadReporting(key)).tokens).toStrictEqual(before)
      expect(await tempsLeft()).toEqual([name])
      await writer.stop()
      expect((await loadReporting(key)).tokens).toStrictEqual(refreshed)
      expect(await tempsLeft()).toEqual([])
    } finally {
      await writer.stop()
    }
  })

  it('by a save while its writer runs; once it is gone, the save made it stale', async () => {
    const key = uniqueKey()
    const before = fullTokens('before')
    await oldTokenFile(tokenFileText(key, before), 60)
    const writer = runningProcess()
    try {
      const name = await leaveTemp(writer.pid, tokenFileText(key, fullTokens('in-flight')), {
        ageSeconds: 30,
      })
      const store = fileStore({ path: tokenPath() })
      const other = uniqueKey()
      const saved = fullTokens('saved')
      await store.save(other, saved)
      expect(await tempsLeft()).toEqual([name])
      await writer.stop()
      expect((await loadReporting(key)).tokens).toStrictEqual(before)
      expect(await tempsLeft()).toEqual([])
      expect(await store.load(other)).toStrictEqual(saved)
    } finally {
      await writer.stop()
    }
  })

  it('when its writer is this very process (another handle mid-write)', async () => {
    const key = uniqueKey()
    const before = fullTokens('before')
    await oldTokenFile(tokenFileText(key, before), 60)
    const name = await leaveTemp(process.pid, tokenFileText(key, fullTokens('mine')))
    expect((await loadReporting(key)).tokens).toStrictEqual(before)
    expect(await tempsLeft()).toEqual([name])
  })

  it('when its writer ran on another machine sharing the folder', async () => {
    const key = uniqueKey()
    const before = fullTokens('before')
    await oldTokenFile(tokenFileText(key, before), 60)
    const name = await leaveTemp(await endedPid(), tokenFileText(key, fullTokens('remote')), {
      host: hostTag() === '00000000' ? '11111111' : '00000000',
    })
    expect((await loadReporting(key)).tokens).toStrictEqual(before)
    expect(await tempsLeft()).toEqual([name])
  })

  it.skipIf(process.platform === 'win32')(
    'when a link stands in the file’s place: the load refuses, and the link stays',
    async () => {
      const key = uniqueKey()
      await writeFile(join(folder(), 'elsewhere.json'), tokenFileText(key, fullTokens('elsewhere')))
      await symlink(join(folder(), 'elsewhere.json'), tokenPath())
      const name = await leaveTemp(await endedPid(), tokenFileText(key, fullTokens('dead')))
      await expect(loadReporting(key)).rejects.toMatchObject({ code: 'store_error' })
      expect((await lstat(tokenPath())).isSymbolicLink()).toBe(true)
      expect(await tempsLeft()).toEqual([name])
    },
  )

  it.skipIf(process.platform === 'win32' || !canChownToOtherUser())(
    'when another user owns it: never adopted',
    async () => {
      const key = uniqueKey()
      const before = fullTokens('before')
      await oldTokenFile(tokenFileText(key, before), 60)
      const name = await leaveTemp(await endedPid(), tokenFileText(key, fullTokens('theirs')))
      await chown(join(folder(), name), OTHER_UID, OTHER_UID)
      expect((await loadReporting(key)).tokens).toStrictEqual(before)
      expect(await tempsLeft()).toEqual([name])
    },
  )
})
