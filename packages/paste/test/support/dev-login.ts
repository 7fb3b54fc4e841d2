import { type CodeTransport, createKeyway, type Keyway } from '@keyway/core'
import { type DevProvider, startDevProvider } from '@keyway/testing'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'

/**
 * One dev provider for a test file: started before its tests, counters reset before each,
 * stopped after; the Keyway instances a test made are stopped after it.
 */
export function useDevProvider() {
  let dev: DevProvider | undefined
  const running: Keyway[] = []
  beforeAll(async () => {
    dev = await startDevProvider()
  })
  afterAll(async () => {
    await dev?.close()
  })
  beforeEach(() => {
    dev?.counters.reset()
  })
  afterEach(() => {
    for (const kw of running.splice(0)) kw.stop()
  })
  return {
    get dev(): DevProvider {
      if (dev === undefined) throw new Error('The dev provider starts in beforeAll.')
      return dev
    },
    /** A Keyway for the dev provider's public client, with `transport`. */
    keyway(transport: CodeTransport): Keyway {
      const kw = createKeyway({
        issuer: this.dev.issuer,
        clientId: this.dev.clients.native.clientId,
        scopes: ['openid', 'offline_access'],
        transport,
      })
      running.push(kw)
      return kw
    },
  }
}
