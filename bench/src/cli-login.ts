import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { ScriptedBrowser } from '@keyway/testing'
import { cleanEnvironment } from './node-child.js'
import type { RemoteProvider } from './remote-provider.js'

/** The `keyway` command as built: `dist/bin.cjs` beside the package's entry. */
export const KEYWAY_BIN = new URL('./bin.cjs', import.meta.resolve('@keyway/cli'))

/** The line the loopback login prints the authorization URL on. */
const authorizationUrl = /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m

/**
 * Logs the `keyway` command in at the dev provider's public client, its tokens in a file
 * store in `configDir` (profile `default`), the way a person would: a loopback login whose
 * address a scripted browser opens.
 */
export async function keywayLogin(dev: RemoteProvider, configDir: string): Promise<void> {
  const args = ['login', '--issuer', dev.issuer, '--client-id', dev.clients.native.clientId]
  const child = spawn(
    process.execPath,
    [fileURLToPath(KEYWAY_BIN), ...args, '--store', 'file', '--no-browser', '--no-input'],
    {
      env: cleanEnvironment({ KEYWAY_CONFIG_DIR: configDir }),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  const exited = once(child, 'exit')
  let printed = ''
  child.stderr.setEncoding('utf8')
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', () => reject(new Error(`keyway login ended early:\n${printed}`)))
    child.stderr.on('data', (chunk: string) => {
      printed += chunk
      const found = authorizationUrl.exec(printed)?.[1]
      if (found !== undefined) resolve(found)
    })
  })
  await new ScriptedBrowser().authorize(url)
  const [code] = await exited
  if (code !== 0) throw new Error(`keyway login exited ${code}:\n${printed}`)
}
