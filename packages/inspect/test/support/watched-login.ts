import { createKeyway, type Keyway, memoryStore } from '@keyway/core'
import { type ServedInspector, serveInspector } from '@keyway/inspect'
import { loopback } from '@keyway/loopback'
import { CollectedOutput, type DevProvider, ScriptedBrowser } from '@keyway/testing'

/** A Keyway at the dev provider, watched by a served inspector, both writing to `output`. */
export interface WatchedKeyway {
  readonly kw: Keyway
  readonly inspector: ServedInspector
  /** What the inspector and the loopback transport printed, in order. */
  readonly output: CollectedOutput
  /** Every token value the Keyway received, to look for where it must not be. */
  readonly secrets: string[]
  stop(): Promise<void>
}

/**
 * Starts a served inspector and a Keyway inspected by it, whose login goes through a real
 * loopback receiver and a scripted person at the dev provider.
 */
export function watchedKeyway(dev: DevProvider): WatchedKeyway {
  const output = new CollectedOutput()
  const inspector = serveInspector({ output })
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    transport: loopback({ output, open: (url) => new ScriptedBrowser().authorize(url) }),
    store: memoryStore(),
    inspect: inspector,
  })
  const secrets: string[] = []
  kw.on('tokens', (tokens) => {
    for (const value of [tokens.accessToken, tokens.refreshToken, tokens.idToken]) {
      if (value !== undefined) secrets.push(value)
    }
  })
  return {
    kw,
    inspector,
    output,
    secrets,
    stop: async () => {
      await kw.stop()
      await inspector.close()
    },
  }
}

/** How many of `secrets` occur in `text`. */
export function secretsIn(text: string, secrets: readonly string[]): number {
  return secrets.filter((secret) => text.includes(secret)).length
}
