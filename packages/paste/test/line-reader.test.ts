import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { LineReader } from '../src/line-reader.js'

const open = () => new AbortController().signal

describe('LineReader', () => {
  it('reads lines split across chunks, and keeps the rest of a chunk for the next read', async () => {
    const input = new PassThrough()
    const reader = new LineReader(input, 100)
    const first = reader.read(open())
    input.write('hel')
    input.write('lo\r\nsecond\nthi')
    await expect(first).resolves.toEqual({ kind: 'line', text: 'hello' })
    await expect(reader.read(open())).resolves.toEqual({ kind: 'line', text: 'second' })
    input.end('rd')
    await expect(reader.read(open())).resolves.toEqual({ kind: 'line', text: 'third' })
    await expect(reader.read(open())).resolves.toEqual({ kind: 'end' })
  })

  it('decodes a character split between chunks', async () => {
    const input = new PassThrough()
    const reader = new LineReader(input, 100)
    const bytes = Buffer.from('é\n')
    const line = reader.read(open())
    input.write(bytes.subarray(0, 1))
    input.write(bytes.subarray(1))
    await expect(line).resolves.toEqual({ kind: 'line', text: 'é' })
  })

  it('reports a line longer than allowed once, and reads on after it', async () => {
    const input = new PassThrough()
    const reader = new LineReader(input, 10)
    const long = reader.read(open())
    input.write('x'.repeat(8))
    input.write('x'.repeat(8))
    input.write('x'.repeat(8))
    input.write('\nshort\n')
    await expect(long).resolves.toEqual({ kind: 'tooLong' })
    await expect(reader.read(open())).resolves.toEqual({ kind: 'line', text: 'short' })
  })

  it('lets go of the stream between reads: paused, with no listener', async () => {
    const input = new PassThrough()
    const reader = new LineReader(input, 100)
    const line = reader.read(open())
    expect(input.listenerCount('data')).toBe(1)
    input.write('one\n')
    await line
    expect(input.listenerCount('data')).toBe(0)
    expect(input.listenerCount('end')).toBe(0)
    expect(input.isPaused()).toBe(true)
  })

  it('rejects with aborted when its signal fires, and lets go of the stream', async () => {
    const input = new PassThrough()
    const reader = new LineReader(input, 100)
    const controller = new AbortController()
    const line = reader.read(controller.signal)
    controller.abort()
    await expect(line).rejects.toMatchObject({ code: 'aborted' })
    expect(input.listenerCount('data')).toBe(0)
    await expect(reader.read(controller.signal)).rejects.toMatchObject({ code: 'aborted' })
  })

  it('reports the end of a stream that ended before it was read', async () => {
    const input = new PassThrough()
    input.end()
    input.resume()
    await new Promise((resolve) => input.once('end', resolve))
    await expect(new LineReader(input, 100).read(open())).resolves.toEqual({ kind: 'end' })
  })

  it('reports a stream error as the end, with its cause', async () => {
    const input = new PassThrough()
    const reader = new LineReader(input, 100)
    const line = reader.read(open())
    const failure = new Error('EIO')
    input.destroy(failure)
    await expect(line).resolves.toEqual({ kind: 'end', cause: failure })
  })
})
