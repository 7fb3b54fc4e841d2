import {
  createKeyway,
  type Keyway,
  type KeywayOptions,
  memoryStore,
  type TokenSet,
  type TokenStore,
} from '@keyway/core'
import { type BrowserOpener, loopback } from '@keyway/loopback'
import type { ProviderInfo, ProviderOptions } from '@keyway/providers'
import { onTestFinished } from 'vitest'

/**
 * The browser of a person who consented before: it opens the authorization URL and follows
 * the provider's redirect straight back to the loopback receiver, and on to its final page.
 */
export const consentedBrowser: BrowserOpener = async (url) => {
  const response = await fetch(url)
  await response.text()
}

/** A login through the real loopback receiver, under way. */
export interface LoginRun {
  readonly kw: Keyway
  readonly store: TokenStore
  /** `kw.login()`, which the test awaits or expects to reject. */
  readonly done: Promise<TokenSet>
  /** What the receiver wrote for the person. */
  output(): string
}

/** Options of {@link startLogin} besides the preset's. */
export interface LoginSetup {
  /** How the authorization URL is opened; {@link consentedBrowser} by default. */
  readonly open?: BrowserOpener
  readonly signal?: AbortSignal
  readonly keyway?: Partial<KeywayOptions>
}

/**
 * Starts `kw.login()` with a preset's options and a real `loopback()` receiver on the host
 * the preset asks for; the instance is stopped when the test ends.
 */
export function startLogin(
  preset: Pick<ProviderInfo, 'loopbackHost'>,
  options: ProviderOptions,
  setup: LoginSetup = {},
): LoginRun {
  let written = ''
  const store = memoryStore()
  const kw = createKeyway({
    ...options,
    transport: loopback({
      host: preset.loopbackHost,
      open: setup.open ?? consentedBrowser,
      output: { write: (text: string) => (written += text) },
    }),
    store,
    ...setup.keyway,
  })
  onTestFinished(() => kw.stop())
  const done = kw.login(setup.signal === undefined ? {} : { signal: setup.signal })
  done.catch(() => undefined)
  return { kw, store, done, output: () => written }
}
