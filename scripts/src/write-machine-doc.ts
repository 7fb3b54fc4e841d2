import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { keywayMachine } from '@keyway/core'
import { MACHINE_DOC_PATH, machineDocument } from './machine-doc/document.js'
import { readMachineSources } from './machine-doc/machine-sources.js'
import { REPO_ROOT } from './repo-root.js'

/** Writes docs/machine.md from Keyway's machine; `pnpm run docs` runs it before typedoc. */
async function main(): Promise<void> {
  const document = machineDocument(keywayMachine(), await readMachineSources(REPO_ROOT))
  await writeFile(join(REPO_ROOT, MACHINE_DOC_PATH), document)
  process.stderr.write(`wrote ${MACHINE_DOC_PATH}\n`)
}

await main()
