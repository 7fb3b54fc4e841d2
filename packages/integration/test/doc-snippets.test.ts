import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const scratch = fileURLToPath(new URL('../.doc-snippets/', import.meta.url))
/** The documents whose TypeScript blocks must compile: the guides and every package's README. */
async function documents(): Promise<string[]> {
  const packages = await readdir(join(root, 'packages'))
  const readmes = packages
    .map((name) => `packages/${name}/README.md`)
    .filter((path) => existsSync(join(root, path)))
  return ['README.md', 'docs/guide.md', 'docs/machine.md', ...readmes]
}

/** The TypeScript code blocks of a Markdown document. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
}

it('type-checks every TypeScript block of the READMEs, the guide and the machine page', async () => {
  await rm(scratch, { recursive: true, force: true })
  await mkdir(scratch, { recursive: true })
  const files: string[] = []
  for (const document of await documents()) {
    const blocks = codeBlocks(await readFile(join(root, document), 'utf8'))
    for (const [index, block] of blocks.entries()) {
      const file = `${document.replace(/\W+/g, '-')}-${index + 1}.ts`
      await writeFile(join(scratch, file), `${block}\nexport {}\n`)
      files.push(file)
    }
  }
  expect(files.length).toBeGreaterThan(0)
  await writeFile(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        composite: false,
        rootDir: '.',
        customConditions: ['keyway:source'],
        noUnusedLocals: false,
      },
      include: files,
    }),
  )
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const run = promisify(execFile)
  const result = await run(process.execPath, [tsc, '-p', scratch]).then(
    () => '',
    (failure: { stdout?: string }) => failure.stdout ?? String(failure),
  )
  expect(result).toBe('')
}, 120_000)
