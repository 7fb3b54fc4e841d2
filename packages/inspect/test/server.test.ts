import { fileURLToPath } from 'node:url'
import { serveInspector } from '@keyway/inspect'
import { CollectedOutput, startNodeScript } from '@keyway/testing'
import { describe, expect, it, onTestFinished } from 'vitest'
import { StreamReader } from './support/event-stream.js'

const child = fileURLToPath(new URL('./fixtures/serve-child.mjs', import.meta.url))

function served() {
  const output = new CollectedOutput()
  const inspector = serveInspector({ output })
  onTestFinished(() => inspector.close())
  return { output, inspector }
}

describe('serveInspector', () => {
  it('prints the page address alone on its line: loopback, a free port, a secret path', async () => {
    const { output, inspector } = served()
    const url = await inspector.url
    expect(url.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/$/)
    expect(url.port).not.toBe('')
    await output.line((line) => line === url.href)
    expect(output.urlLines).toEqual([url.href])
    const other = served()
    expect((await other.inspector.url).pathname).not.toBe(url.pathname)
  })

  it('serves the page with a strict policy and no referrer, and 404s every other path', async () => {
    const { inspector } = served()
    const url = await inspector.url
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'self';/)
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(await page.text()).toContain('aria-live="polite"')
    const script = await fetch(new URL('view/main.js', url))
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')

    const origin = url.origin
    const secret = url.pathname.slice(1, -1)
    const elsewhere = [
      '/',
      `/${secret}`,
      `/${'A'.repeat(32)}/`,
      `/${secret}/package.json`,
      `/${secret}/view/main.ts`,
      `/${secret}/view/main.js.map`,
      `/${secret}/%2e%2e/package.json`,
      `/${secret}/../${secret}/missing`,
    ]
    for (const path of elsewhere) {
      const response = await fetch(`${origin}${path}`)
      expect({ path, status: response.status }).toEqual({ path, status: 404 })
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    }
    const posted = await fetch(url, { method: 'POST', body: 'x' })
    expect(posted.status).toBe(404)
  })

  it('streams the backlog to a page that opens late, and ends the stream on close()', async () => {
    const { inspector } = served()
    const stream = new StreamReader(new URL('events', await inspector.url))
    await inspector.pageOpened()
    await inspector.close()
    expect(await stream.ended).toBe('closed')
    expect(stream.text).toMatch(/^retry: \d+\n\n/)
    await expect(fetch(await inspector.url)).rejects.toThrow()
  })

  it('never keeps the process alive, even with a page connected', async () => {
    const script = startNodeScript(child, { stdin: 'ignore' })
    onTestFinished(() => {
      if (script.child.exitCode === null) script.child.kill()
    })
    const lines = new CollectedOutput()
    script.child.stderr?.on('data', (chunk: Buffer) => lines.write(chunk.toString()))
    const url = new URL(await lines.line((line) => line.startsWith('http://127.0.0.1:')))
    const stream = new StreamReader(new URL('events', url))
    const exit = await script.exited
    expect(exit).toMatchObject({ code: 0, stdout: 'page opened\n' })
    expect(await stream.ended).toMatch(/closed|broken/)
  })
})
