import { randomBytes } from 'node:crypto'
import { keyringError, type LinuxBackend, openEntry } from './keyring.js'

/** Where one value lives: a service, and the account of its head entry. */
export interface ValueAddress {
  readonly service: string
  readonly account: string
  readonly backend: LinuxBackend
}

/**
 * The head entry of a value split across entries: how many parts, and the generation that
 * names them. Writers put new parts under a new generation and switch the head last, so a
 * reader sees the old value or the new one, never parts of both.
 */
interface ChunkManifest {
  readonly keywayChunks: number
  readonly generation: string
}

function asManifest(text: string): ChunkManifest | undefined {
  if (!text.startsWith('{"keywayChunks"')) return undefined
  try {
    const value = JSON.parse(text) as Partial<ChunkManifest>
    const valid =
      Number.isInteger(value.keywayChunks) &&
      (value.keywayChunks ?? 0) > 0 &&
      typeof value.generation === 'string'
    return valid ? (value as ChunkManifest) : undefined
  } catch {
    return undefined
  }
}

function partAccount(address: ValueAddress, generation: string, index: number): string {
  return `${address.account}#${generation}#${index}`
}

async function readEntry(address: ValueAddress, account: string): Promise<string | null> {
  const entry = await openEntry(address.service, account, address.backend)
  return entry.getPassword().catch((error: unknown) => {
    throw keyringError(error, 'reading')
  })
}

async function writeEntry(address: ValueAddress, account: string, text: string): Promise<void> {
  const entry = await openEntry(address.service, account, address.backend)
  await entry.setPassword(text).catch((error: unknown) => {
    throw keyringError(error, 'writing')
  })
}

async function deleteEntry(address: ValueAddress, account: string): Promise<void> {
  const entry = await openEntry(address.service, account, address.backend)
  await entry.deleteCredential().catch((error: unknown) => {
    throw keyringError(error, 'deleting')
  })
}

async function deleteParts(address: ValueAddress, head: string | null): Promise<void> {
  const manifest = head === null ? undefined : asManifest(head)
  if (manifest === undefined) return
  for (let index = 0; index < manifest.keywayChunks; index++) {
    await deleteEntry(address, partAccount(address, manifest.generation, index))
  }
}

/**
 * Splits `text` into pieces of at most `size` UTF-16 code units (what a Windows credential
 * counts), never between the two halves of a surrogate pair.
 */
export function splitText(text: string, size: number): string[] {
  const parts: string[] = []
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1
    parts.push(text.slice(start, end))
    start = end
  }
  return parts
}

/** What a read found: nothing, a whole value, or a head whose parts are not all there. */
export type ReadValue =
  | { readonly kind: 'missing' }
  | { readonly kind: 'value'; readonly text: string; readonly head: string }
  | { readonly kind: 'broken'; readonly head: string }

/**
 * Reads the value at `address`, joining its parts when it was split. A part that is missing
 * because a writer switched the head meanwhile is read again from the new head; a head whose
 * parts stay missing is `broken`.
 */
export async function readValue(address: ValueAddress): Promise<ReadValue> {
  for (let attempt = 1; ; attempt++) {
    const head = await readEntry(address, address.account)
    if (head === null) return { kind: 'missing' }
    const manifest = asManifest(head)
    if (manifest === undefined) return { kind: 'value', text: head, head }
    const parts: string[] = []
    for (let index = 0; index < manifest.keywayChunks; index++) {
      const part = await readEntry(address, partAccount(address, manifest.generation, index))
      if (part === null) break
      parts.push(part)
    }
    if (parts.length === manifest.keywayChunks) return { kind: 'value', text: parts.join(''), head }
    const switched = (await readEntry(address, address.account)) !== head
    if (!switched || attempt === 3) return { kind: 'broken', head }
  }
}

/**
 * Writes `text` at `address`: in the head entry itself when it fits in `chunkSize` characters,
 * else in parts under a new generation, with the head switched to them last. The parts of the
 * value it replaced are deleted afterwards.
 */
export async function writeValue(address: ValueAddress, text: string, chunkSize: number) {
  const previous = await readEntry(address, address.account)
  if (text.length <= chunkSize && asManifest(text) === undefined) {
    await writeEntry(address, address.account, text)
  } else {
    const generation = randomBytes(4).toString('hex')
    const parts = splitText(text, chunkSize)
    for (const [index, part] of parts.entries()) {
      await writeEntry(address, partAccount(address, generation, index), part)
    }
    const manifest: ChunkManifest = { keywayChunks: parts.length, generation }
    await writeEntry(address, address.account, JSON.stringify(manifest))
  }
  await deleteParts(address, previous)
}

/** Deletes the value at `address` and its parts; deleting nothing is not an error. */
export async function deleteValue(address: ValueAddress): Promise<void> {
  const head = await readEntry(address, address.account)
  if (head === null) return
  await deleteEntry(address, address.account)
  await deleteParts(address, head)
}

/**
 * Sets a damaged value aside: keeps what was read in an entry of its own beside `address`
 * (best effort, for a person to inspect), then deletes the value, unless a writer replaced its
 * head since `read`.
 */
export async function setValueAside(
  address: ValueAddress,
  read: Exclude<ReadValue, { kind: 'missing' }>,
): Promise<void> {
  const aside = `${address.account}#corrupt#${Date.now()}-${randomBytes(3).toString('hex')}`
  await writeEntry(address, aside, read.kind === 'value' ? read.text : read.head).catch(
    () => undefined,
  )
  if ((await readEntry(address, address.account)) !== read.head) return
  await deleteEntry(address, address.account)
  await deleteParts(address, read.head)
}
