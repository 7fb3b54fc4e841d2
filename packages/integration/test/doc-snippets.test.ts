import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const scratch = fileURLToPath(new URL('../.doc-snippets/', import.meta.url))

/** Every Markdown file under `folder` (relative to the root), `docs/api` (generated) left out. */
async function markdownUnder(folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length))
    .filter((path) => !path.startsWith('docs/api/'))
}

/** The README of each folder directly under `folder`, where there is one. */
async function readmesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { withFileTypes: true })
  const readmes: string[] = []
  for (const entry of entries.filter((each) => each.isDirectory())) {
    const names = await readdir(join(root, folder, entry.name))
    if (names.includes('README.md')) readmes.push(`${folder}/${entry.name}/README.md`)
  }
  return readmes
}

/** The documents whose TypeScript is checked: the README, docs/, every package's and example's README. */
async function documents(): Promise<string[]> {
  const found = [
    'README.md',
    ...(await markdownUnder('docs')),
    ...(await readmesUnder('packages')),
    ...(await readmesUnder('examples')),
  ]
  return found.sort()
}

/** A TypeScript code block: `ts` (an ES module) or `cts` (a CommonJS module). */
interface CodeBlock {
  readonly kind: 'ts' | 'cts'
  readonly code: string
}

/** The TypeScript code blocks of a Markdown document. */
function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/```(ts|cts)\n([\s\S]*?)```/g)].map((match) => ({
    kind: match[1] === 'cts' ? 'cts' : 'ts',
    code: match[2] ?? '',
  }))
}

it('type-checks every TypeScript block of the README, docs/ and the package and example READMEs', async () => {
  await rm(scratch, { recursive: true, force: true })
  await mkdir(scratch, { recursive: true })
  const files: string[] = []
  const checked = await documents()
  expect(checked).toContain('docs/guide.md')
  expect(checked).toContain('docs/tasks/first-login-cli.md')
  for (const document of checked) {
    const blocks = codeBlocks(await readFile(join(root, document), 'utf8'))
    for (const [index, block] of blocks.entries()) {
      const file = `${document.replace(/\W+/g, '-')}-${index + 1}.${block.kind}`
      // Each block is a module of its own; a CommonJS block says so itself (`export =`).
      await writeFile(
        join(scratch, file),
        block.kind === 'ts' ? `${block.code}\nexport {}\n` : block.code,
      )
      files.push(file)
    }
  }
  console.info(`doc snippets: ${files.length} TypeScript blocks in ${checked.length} documents`)
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
