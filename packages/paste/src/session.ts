import {
  type AuthorizationRequest,
  type Callback,
  type CodeSession,
  KeywayError,
  KeywayErrorCodes,
  type LoginOutcome,
} from '@keyway/core'
import { LineReader, type ReadResult } from './line-reader.js'
import { gaveUpAfter, inputEnded, introduction, outcomeLine, problems, prompt } from './messages.js'
import { MAX_LINE_LENGTH, type PasteSettings } from './options.js'
import type { PastedAnswer } from './pasted-answer.js'

/**
 * The reader of pasted answers, loaded when a login first waits for one: it brings the
 * callback codecs (io-ts, fp-ts), which a program that only reads a stored token never needs.
 */
async function loadAnswerReader() {
  const { readPastedAnswer } = await import('./pasted-answer.js')
  return (
    read: Exclude<ReadResult, { kind: 'end' }>,
    request: AuthorizationRequest,
    redirectUri: string,
  ): PastedAnswer =>
    read.kind === 'line'
      ? readPastedAnswer(read.text, request, redirectUri)
      : { kind: 'unusable', code: KeywayErrorCodes.invalidResponse, problem: problems.tooLong }
}

/** One login attempt by paste: prints the address, then reads answers until one is usable. */
export class PasteSession implements CodeSession {
  readonly redirectUri: string
  readonly #settings: PasteSettings
  /** Aborted by the transport's context (a race called it off) or by `close()`. */
  readonly #held: AbortSignal
  readonly #closed = new AbortController()
  readonly #showUrl: boolean

  /**
   * @param adopted - the redirect URI another transport of a race chose, which paste uses
   *   in place of its own; that transport then shows the authorization URL.
   */
  constructor(settings: PasteSettings, adopted: string | undefined, opened: AbortSignal) {
    this.#settings = settings
    this.redirectUri = adopted ?? settings.redirectUri
    this.#showUrl = settings.showUrl ?? adopted === undefined
    this.#held = AbortSignal.any([opened, this.#closed.signal])
  }

  async receive(request: AuthorizationRequest): Promise<Callback> {
    const { attempts } = this.#settings
    const output = this.#settings.output()
    const answerOf = await loadAnswerReader()
    const reader = new LineReader(this.#settings.input(), MAX_LINE_LENGTH)
    const signal = AbortSignal.any([request.signal, this.#held])
    output.write(introduction(request.url, this.redirectUri, this.#showUrl))
    output.write(prompt(attempts, true))
    let triesLeft = attempts
    for (;;) {
      const read = await reader.read(signal).catch((error: unknown) => {
        output.write('\n')
        throw error
      })
      if (read.kind === 'end') {
        output.write('\n')
        throw new KeywayError(KeywayErrorCodes.aborted, inputEnded, { cause: read.cause })
      }
      const answer = answerOf(read, request, this.redirectUri)
      switch (answer.kind) {
        case 'callback':
          return answer.callback
        case 'refused':
          throw answer.error
        case 'empty':
          output.write(prompt(triesLeft, triesLeft === attempts))
          break
        case 'unusable':
          triesLeft -= 1
          if (triesLeft === 0) {
            throw new KeywayError(answer.code, gaveUpAfter(attempts, answer.problem))
          }
          output.write(`${answer.problem}\n${prompt(triesLeft, false)}`)
          break
      }
    }
  }

  async finish(outcome: LoginOutcome): Promise<void> {
    if (this.#settings.announceOutcome) this.#settings.output().write(outcomeLine(outcome))
  }

  /** Stops a read in progress; the input is let go of as soon as no read waits. */
  async close(): Promise<void> {
    this.#closed.abort(new KeywayError(KeywayErrorCodes.aborted, 'The paste session was closed.'))
  }
}
