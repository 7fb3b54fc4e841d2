import { describe, expect, it } from 'vitest'
import { traceFetch } from '../src/trace/trace-fetch.js'

describe('the HTTP trace of an answer that does not end', () => {
  it('shows no body, reads only a bounded part of it, and leaves the answer unread', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(97)
    let pulls = 0
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls += 1
          controller.enqueue(chunk)
        },
      },
      { highWaterMark: 0 },
    )
    const lines: string[] = []
    const fetch = traceFetch(
      async () => new Response(endless, { headers: { 'content-type': 'application/json' } }),
      { write: (line) => lines.push(line) },
    )
    const response = await fetch('http://127.0.0.1:9/token', { method: 'POST' })
    expect(lines).toContain('  body: (more than 65536 bytes of application/json, not shown)')
    // What the trace read, and no more: 64 KiB and the chunk that passed it.
    expect(pulls).toBeLessThanOrEqual(6)
    const first = await response.body!.getReader().read()
    expect(first.value).toEqual(chunk)
  })
})
