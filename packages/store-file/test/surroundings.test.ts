import { chmod, chown, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type KeywayError, KeywayErrorCodes } from '@keyway/core'
import { fullTokens, uniqueKey } from '@keyway/testing/store-contract'
import { describe, expect, it } from 'vitest'
import { fileStore } from '../src/index.js'
import {
  canChownToOtherUser,
  folderPerTest,
  makeFifo,
  modeOf,
  OTHER_UID,
  tokenFileText,
} from './support/folders.js'

const folder = folderPerTest('keyway-file-surroundings-')

const refusal = (message: RegExp) =>
  expect.objectContaining({
    code: KeywayErrorCodes.storeError,
    message: expect.stringMatching(message),
  })

/** A token file holding `tokens` for `key`, written as another program would, with `mode`. */
async function plantTokenFile(
  path: string,
  key = uniqueKey(),
  tokens = fullTokens('planted'),
  mode = 0o600,
) {
  const text = tokenFileText(key, tokens)
  await writeFile(path, text, { mode })
  await chmod(path, mode)
  return { key, tokens, text }
}

describe.skipIf(process.platform === 'win32')('a token file the user does not own alone', () => {
  it('is refused when it is a symbolic link, and the link target’s tokens are never served', async () => {
    const target = join(folder(), 'elsewhere.json')
    const { key, text } = await plantTokenFile(target)
    const path = join(folder(), 'tokens.json')
    await symlink(target, path)
    const store = fileStore({ path })
    await expect(store.load(key)).rejects.toEqual(refusal(/symbolic link/))
    await expect(store.save(key, fullTokens('through-link'))).rejects.toEqual(
      refusal(/symbolic link/),
    )
    expect(await readFile(target, 'utf8')).toBe(text)
  })

  it('is refused when it is a link to nowhere, and no file is made through it', async () => {
    const path = join(folder(), 'tokens.json')
    await symlink(join(folder(), 'missing.json'), path)
    const store = fileStore({ path })
    await expect(store.load(uniqueKey())).rejects.toEqual(refusal(/symbolic link/))
    await expect(store.save(uniqueKey(), fullTokens('dangling'))).rejects.toEqual(
      refusal(/symbolic link/),
    )
    await expect(readFile(join(folder(), 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('is refused, without waiting, when a FIFO or a folder stands in its place', async () => {
    makeFifo(join(folder(), 'fifo.json'))
    await mkdir(join(folder(), 'folder.json'))
    for (const name of ['fifo.json', 'folder.json']) {
      const store = fileStore({ path: join(folder(), name) })
      await expect(store.load(uniqueKey())).rejects.toEqual(refusal(/not a regular file/))
    }
  })

  it.each(['0640', '0620', '0610', '0604', '0602', '0601', '0644', '0666'])(
    'mode %s: is set to 0600, reported once without its tokens, and still served',
    async (octal) => {
      const mode = Number.parseInt(octal, 8)
      const path = join(folder(), 'tokens.json')
      const { key, tokens } = await plantTokenFile(path, uniqueKey(), fullTokens('loose'), mode)
      const store = fileStore({ path })
      const reports: KeywayError[] = []
      const report = (error: KeywayError) => reports.push(error)
      expect(await store.load(key, { report })).toStrictEqual(tokens)
      expect(await modeOf(path)).toBe(0o600)
      expect(reports).toEqual([refusal(new RegExp(`mode ${octal}\\).*set it to 0600`))])
      expect(JSON.stringify(reports[0])).not.toContain(tokens.accessToken)
      expect(await store.load(key, { report })).toStrictEqual(tokens)
      expect(reports).toHaveLength(1)
    },
  )

  it.each(['0600', '0400'])('mode %s: is served without a report', async (octal) => {
    const mode = Number.parseInt(octal, 8)
    const path = join(folder(), 'tokens.json')
    const { key, tokens } = await plantTokenFile(path, uniqueKey(), fullTokens('private'), mode)
    const reports: KeywayError[] = []
    expect(
      await fileStore({ path }).load(key, { report: (error) => reports.push(error) }),
    ).toStrictEqual(tokens)
    expect(reports).toEqual([])
  })
})

describe.skipIf(process.platform === 'win32' || !canChownToOtherUser())(
  'another user’s file',
  () => {
    it('is refused on load and on save, and left as it is', async () => {
      const path = join(folder(), 'tokens.json')
      const { key, text } = await plantTokenFile(path)
      await chown(path, OTHER_UID, OTHER_UID)
      const store = fileStore({ path })
      await expect(store.load(key)).rejects.toEqual(refusal(/belongs to another user \(uid 65534/))
      await expect(store.save(key, fullTokens('over-theirs'))).rejects.toEqual(
        refusal(/another user/),
      )
      expect(await readFile(path, 'utf8')).toBe(text)
    })

    it('planted in a shared sticky folder (as /tmp) before the first save is refused, not used', async () => {
      const shared = join(folder(), 'shared')
      await mkdir(shared)
      await chmod(shared, 0o1777)
      const path = join(shared, 'tokens.json')
      const { key, text } = await plantTokenFile(path)
      await chown(path, OTHER_UID, OTHER_UID)
      const store = fileStore({ path })
      await expect(store.load(key)).rejects.toEqual(refusal(/belongs to another user/))
      await expect(store.save(key, fullTokens('mine'))).rejects.toEqual(refusal(/another user/))
      expect(await readFile(path, 'utf8')).toBe(text)
    })

    it('swapped into a world-writable folder is refused', async () => {
      const open = join(folder(), 'open')
      const path = join(open, 'tokens.json')
      const store = fileStore({ path })
      const key = uniqueKey()
      await store.save(key, fullTokens('mine'))
      await chmod(open, 0o777)
      await plantTokenFile(`${path}.theirs`, key, fullTokens('theirs'))
      await chown(`${path}.theirs`, OTHER_UID, OTHER_UID)
      await rename(`${path}.theirs`, path)
      await expect(store.load(key)).rejects.toEqual(refusal(/can be written by other users/))
      await chmod(open, 0o700)
      await expect(store.load(key)).rejects.toEqual(refusal(/belongs to another user/))
    })

    it('as the folder is refused, even when the folder is private to them', async () => {
      const theirs = join(folder(), 'theirs')
      await mkdir(theirs, { mode: 0o700 })
      const path = join(theirs, 'tokens.json')
      const { key } = await plantTokenFile(path)
      await chown(theirs, OTHER_UID, OTHER_UID)
      await expect(fileStore({ path }).load(key)).rejects.toEqual(
        refusal(/folder .* belongs to another user/),
      )
      await expect(fileStore({ path }).save(key, fullTokens('x'))).rejects.toEqual(
        refusal(/belongs to another user/),
      )
    })
  },
)

describe.skipIf(process.platform === 'win32')('the folder', () => {
  it.each(['0777', '0770', '0730', '0703'])(
    'mode %s (writable by others, not sticky): is refused on load, save and lock, file or not',
    async (octal) => {
      const mode = Number.parseInt(octal, 8)
      const open = join(folder(), 'open')
      const path = join(open, 'tokens.json')
      const store = fileStore({ path })
      const key = uniqueKey()
      await store.save(key, fullTokens('before'))
      await chmod(open, mode)
      const refused = refusal(
        new RegExp(`folder .* can be written by other users \\(mode ${octal}\\)`),
      )
      await expect(store.load(key)).rejects.toEqual(refused)
      await expect(store.save(key, fullTokens('after'))).rejects.toEqual(refused)
      await expect(store.lock(key, { leaseMs: 1_000 })).rejects.toEqual(refused)
      await expect(fileStore({ path: join(open, 'other.json') }).load(key)).rejects.toEqual(refused)
    },
  )

  it.each(['0755', '0750', '0711', '1777'])('mode %s: is used', async (octal) => {
    const mode = Number.parseInt(octal, 8)
    const fine = join(folder(), 'fine')
    await mkdir(fine)
    await chmod(fine, mode)
    const store = fileStore({ path: join(fine, 'tokens.json') })
    const key = uniqueKey()
    const tokens = fullTokens('fine')
    await store.save(key, tokens)
    expect(await store.load(key)).toStrictEqual(tokens)
  })

  it('is created 0700, with its parents, whatever the umask', async () => {
    const previous = process.umask(0)
    try {
      const path = join(folder(), 'a', 'b', 'tokens.json')
      await fileStore({ path }).save(uniqueKey(), fullTokens('umask'))
      expect(await modeOf(join(folder(), 'a'))).toBe(0o700)
      expect(await modeOf(join(folder(), 'a', 'b'))).toBe(0o700)
      expect(await modeOf(path)).toBe(0o600)
    } finally {
      process.umask(previous)
    }
  })
})
