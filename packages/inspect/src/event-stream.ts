import type { ServerResponse } from 'node:http'
import type { InspectionFeed } from './inspection-feed.js'
import { securityHeaders } from './responses.js'
import type { InspectorMessage } from './shared/messages.js'

function frame(message: InspectorMessage): string {
  return `data: ${JSON.stringify(message)}\n\n`
}

/**
 * Streams the feed to one page as server-sent events: the backlog first (the machine and the
 * last steps), then each message as it comes, until the page goes or {@link close} is called.
 *
 * @returns a function that ends the stream.
 */
export function streamFeed(feed: InspectionFeed, response: ServerResponse): () => void {
  response.writeHead(200, {
    ...securityHeaders,
    'Content-Type': 'text/event-stream; charset=utf-8',
  })
  // The page reconnects after this long if the stream breaks while the server still runs.
  response.write(`retry: 1000\n\n${feed.backlog.map(frame).join('')}`)
  const stop = feed.listen((message) => response.write(frame(message)))
  const end = () => {
    stop()
    response.end()
  }
  response.once('close', stop)
  return end
}
