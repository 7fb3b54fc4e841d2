import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { devClients } from '@keyway/testing'

/** A dev provider running in a child process. */
export interface RemoteProvider {
  readonly issuer: string
  readonly clients: typeof devClients
  close(): Promise<void>
}

/** Starts the dev provider in a child process and waits for its issuer. */
export async function startRemoteProvider(): Promise<RemoteProvider> {
  const script = fileURLToPath(new URL('./provider-process.js', import.meta.url))
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'ignore'] })
  let buffered = ''
  child.stdout.setEncoding('utf8')
  const issuer = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the provider process exited (${code})`)))
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk
      const line = buffered.split('\n')[0]
      if (buffered.includes('\n') && line) resolve((JSON.parse(line) as { issuer: string }).issuer)
    })
  })
  return {
    issuer,
    clients: devClients,
    async close() {
      child.stdin.end()
      await once(child, 'exit')
    },
  }
}

/** A fetch that counts the requests it sends to token endpoints. */
export function countingFetch(): { fetch: typeof fetch; tokenRequests(): number } {
  let count = 0
  return {
    fetch: (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith('/token')) count++
      return fetch(input, init)
    },
    tokenRequests: () => count,
  }
}
