import type { KeywayError } from '../errors.js'
import type { KeywayContext } from '../machine/types.js'
import { isAccessTokenFresh, type TokenSet } from '../tokens.js'
import { loginRequired, stoppedError } from './failures.js'
import type { KeywayState } from './types.js'
import { deferredResult, untilAborted } from './waiting.js'

/**
 * The refresh under way, as the callers waiting for it see it: its tokens, and one access
 * token promise that every caller wanting only the access token shares, however many arrive.
 */
export class RefreshOutcome {
  readonly #result = deferredResult<TokenSet>()
  #accessToken: Promise<string> | undefined

  constructor() {
    this.#result.promise.catch(() => undefined)
  }

  /** The tokens the refresh brings. */
  get tokens(): Promise<TokenSet> {
    return this.#result.promise
  }

  /** The tokens, as long as they are still valid at `now()` when they come. */
  async freshTokens(signal: AbortSignal | undefined, now: () => number): Promise<TokenSet> {
    const tokens = await (signal === undefined ? this.tokens : untilAborted(this.tokens, signal))
    if (isAccessTokenFresh(tokens, now())) return tokens
    throw loginRequired('The access token expired and cannot be renewed.')
  }

  /** Their access token: one promise for all who ask. */
  get accessToken(): Promise<string> {
    this.#accessToken ??= this.#result.promise.then((tokens) => tokens.accessToken)
    return this.#accessToken
  }

  resolve(tokens: TokenSet): void {
    this.#result.resolve(tokens)
  }

  reject(error: unknown): void {
    this.#result.reject(error)
  }
}

/**
 * What a refresh that ended in `state` means for the callers waiting on it: the new tokens,
 * or the error to reject with.
 */
export function refreshEnding(
  state: KeywayState,
  context: KeywayContext,
): { readonly tokens: TokenSet } | { readonly error: KeywayError } {
  const tokens = context.tokens?.unseal()
  if (state === 'authorized' && context.error === undefined && tokens !== undefined) {
    return { tokens }
  }
  return {
    error:
      state === 'loginRequired'
        ? loginRequired('The grant is no longer valid.', context.error)
        : (context.error ?? stoppedError()),
  }
}
