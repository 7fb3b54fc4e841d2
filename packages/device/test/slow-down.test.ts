import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { createKeyway } from '@keyway/core'
import { device } from '@keyway/device'
import { afterEach, expect, it } from 'vitest'

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code'
/** RFC 8628 §3.5: after `slow_down`, every later poll must wait 5 seconds more. */
const SLOW_DOWN_STEP = 5000

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

/**
 * A device authorization server that asks the client to slow down, a fault the dev provider
 * cannot produce: the first poll is pending, the second is told `slow_down`, and a poll that
 * comes sooner than the slowed-down interval is refused, as the RFC lets a server do.
 */
async function slowDownServer() {
  const answers: string[] = []
  let slowedDownAt = 0
  const nextAnswer = () => {
    if (answers.length === 0) return 'authorization_pending'
    if (answers.length === 1) return 'slow_down'
    return Date.now() - slowedDownAt < SLOW_DOWN_STEP ? 'polled_too_soon' : 'tokens'
  }
  const server = createServer(async (req, res) => {
    const form = await readForm(req)
    if (req.url === '/device_authorization') {
      return json(res, 200, {
        device_code: 'device-code-1',
        user_code: 'WDJB-MJHT',
        verification_uri: `${base}/device`,
        expires_in: 60,
        interval: 0.01,
      })
    }
    if (req.url !== '/token' || form.get('grant_type') !== deviceGrant) {
      return json(res, 400, { error: 'invalid_request' })
    }
    const answer = nextAnswer()
    answers.push(answer)
    if (answer === 'slow_down') slowedDownAt = Date.now()
    if (answer === 'tokens') {
      return json(res, 200, { access_token: 'access-1', token_type: 'Bearer', expires_in: 3600 })
    }
    if (answer === 'polled_too_soon') {
      return json(res, 400, {
        error: 'invalid_request',
        error_description: 'polled sooner than the slowed-down interval',
      })
    }
    return json(res, 400, { error: answer })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

it('backs off by five seconds when the server says slow_down, then logs in', async () => {
  const server = await slowDownServer()
  cleanups.push(server.close)
  const output = new PassThrough()
  let written = ''
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8')
  })
  const kw = createKeyway({
    endpoints: {
      authorization: `${server.base}/authorize`,
      token: `${server.base}/token`,
      deviceAuthorization: `${server.base}/device_authorization`,
    },
    clientId: 'keyway-cli',
    transport: device({ output }),
  })
  cleanups.push(async () => kw.stop())

  await expect(kw.login()).resolves.toMatchObject({ accessToken: 'access-1' })
  expect(server.answers).toEqual(['authorization_pending', 'slow_down', 'tokens'])
  expect(written).toBe(
    '\nTo log in, open this address in a browser, on this machine or any other:\n\n' +
      `${server.base}/device\n\n` +
      'and enter this code: WDJB-MJHT\n\n' +
      'Waiting for approval (the code expires in 60 seconds)...\n' +
      'Approved.\n',
  )
})
