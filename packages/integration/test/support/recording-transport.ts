import type { CodeTransport } from '@keyway/core'

/** Wraps `transport` so that every authorization URL it is asked to open is kept in `urls`. */
export function recordingUrls(transport: CodeTransport, urls: URL[]): CodeTransport {
  return {
    ...transport,
    async open(options) {
      const session = await transport.open(options)
      return {
        ...session,
        receive(request) {
          urls.push(request.url)
          return session.receive(request)
        },
      }
    },
  }
}
