import { access, readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KeywayErrorCodes } from '@keyway/core'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const tasksFolder = 'docs/tasks'

const read = (path: string) => readFile(join(root, path), 'utf8')

/** The relative link targets of a Markdown document, without their `#fragment`. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => (match[1] ?? '').split('#')[0] ?? '')
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target))
}

async function taskPages(): Promise<string[]> {
  const names = await readdir(join(root, tasksFolder))
  return names.filter((name) => name.endsWith('.md')).sort()
}

describe('docs by task', () => {
  it('lists every task page in the README and at the top of the guide', async () => {
    const pages = await taskPages()
    expect(pages.length).toBeGreaterThan(0)
    const readme = relativeLinks(await read('README.md'))
    const guide = await read('docs/guide.md')
    // At the top: before the guide's first section about the machine.
    const guideTop = relativeLinks(guide.slice(0, guide.indexOf('## The machine')))
    for (const page of pages) {
      expect(readme).toContain(`${tasksFolder}/${page}`)
      expect(guideTop).toContain(`tasks/${page}`)
    }
  })

  it('links only to files that exist, from the README, the guide and every task page', async () => {
    const documents = [
      'README.md',
      'docs/guide.md',
      ...(await taskPages()).map((page) => `${tasksFolder}/${page}`),
    ]
    const missing: string[] = []
    for (const document of documents) {
      for (const target of relativeLinks(await read(document))) {
        const path = join(root, dirname(document), target)
        await access(path).catch(() => missing.push(`${document} → ${target}`))
      }
    }
    expect(missing).toEqual([])
  })

  it('tables every error code, key and value, on the errors page', async () => {
    const page = await read(`${tasksFolder}/refresh-errors.md`)
    const rows = [...page.matchAll(/^\| `(\w+)` \| `(\w+)` \|/gm)].map((row) => [row[1], row[2]])
    expect(rows).toEqual(Object.entries(KeywayErrorCodes))
  })
})
