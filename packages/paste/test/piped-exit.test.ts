import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type DevProvider, ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'

const program = fileURLToPath(new URL('./fixtures/login-by-paste.mjs', import.meta.url))
const builtPaste = fileURLToPath(new URL('../dist/index.js', import.meta.url))

let dev: DevProvider
beforeAll(async () => {
  if (!existsSync(builtPaste)) {
    throw new Error('This test runs the built packages: run `pnpm build` first.')
  }
  dev = await startDevProvider()
})
afterAll(async () => {
  await dev?.close()
})

it('lets a program whose stdin is a pipe that stays open exit once the login is over', async () => {
  const child = spawn(process.execPath, [program], {
    env: { ...process.env, KEYWAY_TEST_ISSUER: dev.issuer },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  const url = await new Promise<string>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const found = /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m.exec(stderr)
      if (found) resolve(found[1]!)
    })
  })
  const { callbackUrl } = await new ScriptedBrowser().authorize(url, { followRedirect: false })
  // The pasted line goes in; the pipe itself is never closed, as when a parent keeps it.
  child.stdin.write(`${callbackUrl.href}\n`)
  const outcome = await new Promise<number | null | 'still running'>((resolve) => {
    const patience = setTimeout(() => resolve('still running'), 15_000)
    child.once('exit', (code) => {
      clearTimeout(patience)
      resolve(code)
    })
  })
  if (outcome === 'still running') child.kill('SIGKILL')
  expect(outcome).toBe(0)
  expect(stdout).toBe('The app is authorized.\n')
})
