import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import { abortError } from '@keyway/core'

/** The `ref`/`unref` of a stream backed by a socket or pipe (stdin usually is). */
function handleOf(input: Readable): { ref?: () => void; unref?: () => void } {
  return input as unknown as { ref?: () => void; unref?: () => void }
}

/** What one read brought: a line (without its end of line), or the end of the input. */
export type ReadResult =
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'tooLong' }
  | { readonly kind: 'end'; readonly cause?: unknown }

/**
 * Reads a stream one line at a time, and holds it only while a line is awaited: in between
 * it is paused and has no listener, so input is neither lost nor read for nobody, and a
 * waiting stdin does not keep the process alive. Text that came after the last line read is
 * kept for the next read of this reader only.
 */
export class LineReader {
  readonly #input: Readable
  readonly #maxLength: number
  readonly #decoder = new StringDecoder('utf8')
  #pending = ''
  /** True while the rest of an overlong line is being thrown away. */
  #skipping = false

  constructor(input: Readable, maxLength: number) {
    this.#input = input
    this.#maxLength = maxLength
  }

  /** Waits for the next line; rejects with `aborted` (or `timeout`) when `signal` fires. */
  read(signal: AbortSignal): Promise<ReadResult> {
    const ready = this.#take()
    if (ready !== undefined) return Promise.resolve(ready)
    if (signal.aborted) return Promise.reject(abortError(signal))
    const input = this.#input
    if (input.readableEnded || input.destroyed) return Promise.resolve(this.#end())
    return new Promise<ReadResult>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        input.off('data', onData)
        input.off('end', onEnd)
        input.off('close', onEnd)
        input.off('error', onError)
        signal.removeEventListener('abort', onAbort)
        input.pause()
        // A paused pipe still holds the event loop open: let it go until the next read.
        handleOf(input).unref?.()
        outcome()
      }
      const onData = (chunk: Buffer | string) => {
        this.#pending += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk)
        const line = this.#take()
        if (line !== undefined) settle(() => resolve(line))
      }
      const onEnd = () => settle(() => resolve(this.#end()))
      const onError = (cause: unknown) => settle(() => resolve(this.#end(cause)))
      const onAbort = () => settle(() => reject(abortError(signal)))
      input.on('data', onData)
      input.once('end', onEnd)
      input.once('close', onEnd)
      input.once('error', onError)
      signal.addEventListener('abort', onAbort, { once: true })
      handleOf(input).ref?.()
      input.resume()
    })
  }

  /** The next whole line in the buffer, if there is one. */
  #take(): ReadResult | undefined {
    const newline = this.#pending.indexOf('\n')
    if (newline < 0) {
      if (this.#pending.length > this.#maxLength) {
        this.#pending = ''
        this.#skipping = true
      }
      return undefined
    }
    const text = this.#pending.slice(0, newline)
    this.#pending = this.#pending.slice(newline + 1)
    return this.#finishLine(text)
  }

  /** At the end of the input, a last line without its newline still counts. */
  #end(cause?: unknown): ReadResult {
    const last = this.#pending + this.#decoder.end()
    this.#pending = ''
    if (this.#skipping || last.trim() !== '') return this.#finishLine(last)
    return cause === undefined ? { kind: 'end' } : { kind: 'end', cause }
  }

  #finishLine(text: string): ReadResult {
    const skipped = this.#skipping
    this.#skipping = false
    if (skipped || text.length > this.#maxLength) return { kind: 'tooLong' }
    return { kind: 'line', text: text.replace(/\r$/, '') }
  }
}
