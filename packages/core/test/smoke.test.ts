import { type CodeTransport, createKeyway } from '@keyway/core'
import { ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { expect, it } from 'vitest'

it('logs in', async () => {
  const dev = await startDevProvider()
  const transport: CodeTransport = {
    kind: 'code',
    name: 'scripted',
    async open() {
      return {
        redirectUri: 'http://127.0.0.1:9/callback',
        async receive(request) {
          const result = await new ScriptedBrowser().authorize(request.url, {
            followRedirect: false,
          })
          return { kind: 'redirect', url: result.callbackUrl }
        },
        async finish() {},
        async close() {},
      }
    },
  }
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: 'keyway-native',
    scopes: ['openid', 'offline_access'],
    transport,
  })
  kw.subscribe((s) => console.log('state', s))
  const tokens = await kw.login()
  expect(tokens.refreshToken).toBeDefined()
  const t2 = await kw.getAccessToken({ forceRefresh: true })
  expect(t2).not.toBe(tokens.accessToken)
  console.log(dev.counters)
  await kw.logout()
  kw.stop()
  await dev.close()
})
