import {
  createKeyway,
  type Keyway,
  type LoginOptions,
  memoryStore,
  type StoreKey,
  type TokenSet,
  type TokenStore,
} from '@keyway/core'
import { type LoopbackOptions, loopback } from '@keyway/loopback'
import type { DevProvider } from '@keyway/testing'
import { onTestFinished } from 'vitest'
import { CollectedOutput } from './output.js'

/** A login through the loopback receiver against the dev provider, under way. */
export interface LoginRun {
  readonly kw: Keyway
  readonly store: TokenStore
  /** The key the tokens are saved under. */
  readonly key: StoreKey
  /** What the receiver wrote for the person. */
  readonly output: CollectedOutput
  /** `kw.login()`, which the test awaits or expects to reject. */
  readonly done: Promise<TokenSet>
  /** The authorization URL, once it is printed. */
  authorizationUrl(): Promise<URL>
  /** The redirect URI the receiver bound, read from the printed authorization URL. */
  redirectUri(): Promise<URL>
}

/**
 * Starts `kw.login()` with a real loopback receiver (options as given, `open: false` unless
 * the test passes an opener) against the dev provider, with the output collected. The
 * instance is stopped when the test ends.
 */
export function startLogin(
  dev: DevProvider,
  options: LoopbackOptions = {},
  login: LoginOptions = {},
): LoginRun {
  const output = new CollectedOutput()
  const store = memoryStore()
  const clientId = dev.clients.native.clientId
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId,
    scopes: ['openid', 'offline_access'],
    transport: loopback({ open: false, output, ...options }),
    store,
  })
  onTestFinished(() => kw.stop())
  const done = kw.login(login)
  done.catch(() => undefined)
  const authorizationUrl = () => output.authorizationUrl()
  return {
    kw,
    store,
    key: { issuer: new URL(dev.issuer).href, clientId, profile: 'default' },
    output,
    done,
    authorizationUrl,
    redirectUri: async () =>
      new URL((await authorizationUrl()).searchParams.get('redirect_uri') ?? 'about:blank'),
  }
}
