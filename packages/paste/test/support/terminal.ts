import { PassThrough } from 'node:stream'

/**
 * The two ends of a terminal, for a transport under test: `input` is what the person types,
 * `output` what the transport writes. `waitFor` resolves as soon as the output matches, on
 * the write that makes it match: no polling, no delay.
 */
export function fakeTerminal() {
  const input = new PassThrough()
  const output = new PassThrough()
  let text = ''
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = []
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8')
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(text)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  })
  return {
    input,
    output,
    /** Everything written so far. */
    get text() {
      return text
    },
    /** Resolves with the first match of `pattern` in the output, now or once it is written. */
    waitFor(pattern: RegExp): Promise<RegExpExecArray> {
      const match = pattern.exec(text)
      if (match) return Promise.resolve(match)
      return new Promise((resolve) => waiters.push({ pattern, resolve }))
    },
    /** Types a line, as a person pressing Enter. */
    type(line: string) {
      input.write(`${line}\n`)
    },
  }
}

/** The line of the output that is the authorization URL. */
export const authorizationUrlLine = /^(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m

/** The prompt after an unusable answer. */
export const askedAgain = /Paste it again \(\d+ tr(?:y|ies) left\): $/

/** What paste shows first when it runs alone with the default redirect URI. */
export function standaloneIntroduction(authorizationUrl: URL): string {
  return (
    '\nTo log in, open this address in a browser, on this machine or any other:\n\n' +
    `${authorizationUrl.href}\n\n` +
    'After you approve, the browser goes to an address starting with\n' +
    'http://127.0.0.1/callback\n' +
    "and may say it can't connect: that is expected. Copy that whole address from\n" +
    "the browser's address bar and paste it here.\n\n"
  )
}
