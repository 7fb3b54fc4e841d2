import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileStore } from '@keyway/store-file'
import { scriptedTransport } from '@keyway/testing'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { useDevProvider } from './support/dev.js'

const ctx = useDevProvider()
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyway-exit-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Runs the fixture; resolves with its exit code and output, or 'hung' after `patience` ms. */
function run(args: string[], patience: number) {
  const script = fileURLToPath(new URL('./fixtures/print-token.mjs', import.meta.url))
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  return new Promise<{ code: number | null | 'hung'; output: string }>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({ code: 'hung', output })
    }, patience)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

it('lets a program exit by itself while its refresh timer waits (the timer is unref’d)', async () => {
  const path = join(dir, 'tokens.json')
  const kw = ctx.keyway({ transport: scriptedTransport(), store: fileStore({ path }) })
  await kw.login()
  kw.stop()
  // The token lives an hour: a timer that kept the process alive would hold it that long.
  const result = await run([path, ctx.dev.issuer, ctx.dev.clients.native.clientId], 15_000)
  expect(result).toEqual({ code: 0, output: 'token\n' })
})
