import { once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createKeyway, KeywayError, memoryStore, storeKeyOf } from '@keyway/core'

/**
 * What a token response of `size` bytes costs a process in memory: a local token endpoint
 * answers a small valid refresh first (so openid-client and the machine are loaded), then
 * one JSON body of `size` bytes, streamed in 64 KiB writes. Prints one JSON line: the RSS
 * growth at its highest while that refresh ran (sampled every 2 ms), in MB, the outcome, and
 * how many bytes the endpoint managed to write before the connection closed.
 * Argument: the size in bytes (default 50 MB). Run with `--expose-gc` for steadier figures.
 */
const size = Number(process.argv[2] ?? 50_000_000)
const chunk = Buffer.alloc(64 * 1024, 'a')
let answered = 0
let written = 0

function answerSmall(res: ServerResponse): void {
  const body = { access_token: `at-${answered}`, token_type: 'Bearer', expires_in: 3600 }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ ...body, refresh_token: `rt-${answered}` }))
}

async function answerHuge(res: ServerResponse): Promise<void> {
  const closed = once(res, 'close')
  res.writeHead(200, { 'content-type': 'application/json' })
  const head = '{"token_type":"Bearer","expires_in":3600,"access_token":"'
  res.write(head)
  let left = size - head.length - 2
  while (left > 0 && !res.destroyed) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left)
    left -= part.length
    const flowing = res.write(part, (error) => {
      if (error == null) written += part.length
    })
    if (!flowing) await Promise.race([once(res, 'drain'), closed])
  }
  if (!res.destroyed) res.end('"}')
}

const server = createServer((req, res) => {
  req.resume()
  answered += 1
  if (answered === 1) answerSmall(res)
  else void answerHuge(res)
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const { port } = server.address() as AddressInfo
const options = {
  endpoints: {
    authorization: `http://127.0.0.1:${port}/auth`,
    token: `http://127.0.0.1:${port}/token`,
  },
  clientId: 'bench',
  store: memoryStore(),
  retry: { attempts: 1 },
}
await options.store.save(storeKeyOf(options), {
  accessToken: 'at-0',
  tokenType: 'Bearer',
  refreshToken: 'rt-0',
  expiresAt: Date.now() + 3_600_000,
})
const kw = createKeyway(options)
await kw.getTokens({ forceRefresh: true })

const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const before = process.memoryUsage.rss()
let highest = before
const sampler = setInterval(() => {
  highest = Math.max(highest, process.memoryUsage.rss())
}, 2)
let outcome: string
try {
  const tokens = await kw.getTokens({ forceRefresh: true })
  outcome = `accepted a ${tokens.accessToken.length}-character access token`
} catch (error) {
  outcome = error instanceof KeywayError ? `${error.code}: ${error.message}` : String(error)
}
highest = Math.max(highest, process.memoryUsage.rss())
clearInterval(sampler)
kw.stop()
server.closeAllConnections()
server.close()
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10
process.stdout.write(
  `${JSON.stringify({ size, rssGrowthMb: mb(highest - before), outcome, endpointWrote: written })}\n`,
)
