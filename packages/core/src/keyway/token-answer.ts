import type { KeywayError } from '../errors.js'
import { isAccessTokenFresh, type TokenSet } from '../tokens.js'
import { isStoreOrNetwork, loginRequired } from './failures.js'
import { type KeywaySnapshot, refreshEnding, topState } from './snapshot-view.js'

/** What a token request needs, as {@link answerFrom} decides it. */
export type TokenAnswer =
  | { readonly kind: 'tokens'; readonly tokens: TokenSet }
  /** Ask the machine for a refresh (none is under way). */
  | { readonly kind: 'refresh' }
  /** A refresh is under way: wait for its outcome. */
  | { readonly kind: 'await refresh' }
  /** No usable grant is held: have the machine read the store again first. */
  | { readonly kind: 'read again' }
  | { readonly kind: 'error'; readonly error: KeywayError }

/** What a token request wants. */
export interface TokenWish {
  readonly now: number
  readonly minTtl: number | undefined
  readonly forceRefresh: boolean
  /**
   * The machine has read the store since the request was made. Until then, a Keyway holding
   * no usable grant reads it again: another process (a CLI login) may have saved one.
   */
  readonly storeRead: boolean
}

/** What a snapshot in which nothing but a refresh is under way means for a token request. */
export function answerFrom(snapshot: KeywaySnapshot, wish: TokenWish): TokenAnswer {
  const { context } = snapshot
  const state = topState(snapshot)
  if (!wish.storeRead && (state === 'idle' || state === 'loginRequired' || state === 'failed')) {
    return { kind: 'read again' }
  }
  switch (state) {
    case 'refreshing':
      return { kind: 'await refresh' }
    case 'authorized': {
      const tokens = context.tokens?.unseal()
      if (tokens !== undefined && !wish.forceRefresh) {
        if (isAccessTokenFresh(tokens, wish.now, wish.minTtl)) return { kind: 'tokens', tokens }
      }
      if (tokens?.refreshToken === undefined) {
        const error = loginRequired('The access token expired and the grant has no refresh token.')
        return { kind: 'error', error }
      }
      return { kind: 'refresh' }
    }
    case 'failed':
      return {
        kind: 'error',
        error: isStoreOrNetwork(context.error)
          ? context.error
          : loginRequired('The last login did not complete.', context.error),
      }
    case 'loginRequired':
      return { kind: 'error', error: loginRequired('The grant is no longer valid.', context.error) }
    default:
      return { kind: 'error', error: loginRequired('No one is logged in.') }
  }
}

/** A refresh under way as its callers see it: its tokens, and one promise of its access token. */
export interface SharedRefresh {
  readonly tokens: Promise<TokenSet>
  readonly accessToken: Promise<string>
}

/** The outcome of a refresh whose end `ended` brings, for every caller to share. */
export function shareRefresh(ended: Promise<KeywaySnapshot>, now: () => number): SharedRefresh {
  const tokens = ended.then((snapshot) => refreshEnding(snapshot, now()))
  const accessToken = tokens.then((fresh) => fresh.accessToken)
  accessToken.catch(() => undefined)
  return { tokens, accessToken }
}
