import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundledSources } from './bundle-sources.js'
import type { CliResult } from './cli-process.js'
import type { useCliWorld } from './cli-world.js'

const MODULE_RECORDER = new URL('../fixtures/record-modules.mjs', import.meta.url)

/**
 * The sources of the full command line, of Keyway's machine and of a token request, none
 * needed to serve a stored token.
 */
export const notForAStoredToken =
  /\/(commander|xstate|openid-client|oauth4webapi|io-ts|fp-ts|undici|machine)\/|\/(run-program|keyway|keyway-actors)\.ts$/

/**
 * Runs `keyway args…` on `world` with the module recorder loaded (and `extra` variables), the
 * lines of `input` typed on its stdin; resolves with how it ended and the URLs of the modules it resolved.
 */
export async function modulesLoadedBy(
  world: ReturnType<typeof useCliWorld>,
  args: readonly string[],
  extra: NodeJS.ProcessEnv = {},
  input: readonly string[] = [],
): Promise<{ readonly result: CliResult; readonly loaded: string[] }> {
  const file = join(world.configDir, `modules-${args.join('-').replaceAll('/', '_')}.txt`)
  const cli = world.start(args, {
    ...extra,
    NODE_OPTIONS: `--import=${MODULE_RECORDER.href}`,
    RECORD_MODULES_TO: file,
  })
  for (const line of input) cli.type(line)
  cli.endInput()
  const result = await cli.done
  const urls = readFileSync(file, 'utf8')
    .split('\n')
    .filter((url) => url !== '')
  return { result, loaded: bundledSources(urls) }
}
