import { execFile } from 'node:child_process'
import { copyFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The workspace's own TypeScript compiler. */
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

/**
 * How a consumer's TypeScript resolves the packages, and the file kind it compiles. Library
 * files are checked too (`skipLibCheck: false`), so the packages' declarations must hold up
 * in the consumer's settings, except under `node16` from CommonJS: that mode models Node 16,
 * which cannot `require()` an ES module, so it reports the one line of each `index.d.cts`
 * that re-exports the ES module's types (TS1479); the types still reach the program.
 */
export const typeCheckModes = {
  'nodenext, ESM': { module: 'nodenext', file: 'consumer.mts', skipLibCheck: false },
  'nodenext, CommonJS': { module: 'nodenext', file: 'consumer.cts', skipLibCheck: false },
  'node16, ESM': { module: 'node16', file: 'consumer.mts', skipLibCheck: false },
  'node16, CommonJS': { module: 'node16', file: 'consumer.cts', skipLibCheck: true },
  bundler: { module: 'preserve', file: 'consumer.ts', skipLibCheck: false },
} as const

/** One of {@link typeCheckModes}. */
export type TypeCheckMode = keyof typeof typeCheckModes

/**
 * Type-checks the consumer's `src/consumer.ts`, copied under the file name `mode` calls for.
 * Resolves with tsc's exit code and its report.
 */
export async function typeCheckConsumer(dir: string, mode: TypeCheckMode) {
  const { module, file, skipLibCheck } = typeCheckModes[mode]
  const name = mode.replace(/\W+/g, '-')
  if (file !== 'consumer.ts') await copyFile(join(dir, 'src/consumer.ts'), join(dir, 'src', file))
  const config = {
    compilerOptions: {
      module,
      moduleResolution: module === 'preserve' ? 'bundler' : module,
      target: 'ES2023',
      strict: true,
      noEmit: true,
      skipLibCheck,
      types: ['node'],
    },
    files: [`src/${file}`],
  }
  await writeFile(join(dir, `tsconfig.${name}.json`), JSON.stringify(config))
  return run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: dir, timeout: 60_000 })
    .then(({ stdout }) => ({ code: 0, report: stdout }))
    .catch((error: { code?: number; stdout?: string }) => ({
      code: error.code ?? 1,
      report: error.stdout ?? String(error),
    }))
}
