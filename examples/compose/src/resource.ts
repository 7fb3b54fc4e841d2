import { isAccessTokenFresh, type Sealed, type TokenSet } from '@keyway/core'
import { fromPromise } from 'xstate'

/**
 * Why a page could not be fetched with the tokens held: the access token would expire before
 * the request is done (or there was none), or the resource refused it (HTTP 401).
 */
export type StaleReason = 'expiring' | 'rejected'

/** The page needs other tokens: the app asks Keyway for a refresh, then tries again. */
export class StaleTokenError extends Error {
  override readonly name = 'StaleTokenError'

  constructor(
    readonly reason: StaleReason,
    /** The sealed tokens the page was tried with, so the app can wait for others. */
    readonly tokens: Sealed<TokenSet> | undefined,
  ) {
    super(
      reason === 'expiring'
        ? 'The access token would expire before the request is done.'
        : 'The resource refused the access token.',
    )
  }
}

/** What fetching one page is given. Tokens stay sealed: an inspector sees no value. */
export interface PageInput {
  /** Which page, from 1. */
  readonly page: number
  /** Keyway's tokens, read from the child's snapshot. */
  readonly tokens: Sealed<TokenSet> | undefined
  /** How long the access token must still live for the request to be sent, in ms. */
  readonly minTtl: number
}

/** One page of the sync: here, whom the protected resource says the token belongs to. */
export interface Page {
  readonly page: number
  readonly account: string
}

/**
 * The app's own actor: fetches a page from `resource` (the dev provider's userinfo endpoint
 * stands for any API that takes Keyway's access token) with the token the app was handed.
 * It refuses to send a token that would expire on the way, and reports a 401, each as a
 * {@link StaleTokenError}; refreshing is Keyway's job, which the app asks for.
 */
export function pageFetcher(resource: URL) {
  return fromPromise<Page, PageInput>(async ({ input, signal }) => {
    const tokens = input.tokens?.unseal()
    if (tokens === undefined || !isAccessTokenFresh(tokens, Date.now(), input.minTtl)) {
      throw new StaleTokenError('expiring', input.tokens)
    }
    const response = await fetch(resource, {
      headers: { authorization: `${tokens.tokenType} ${tokens.accessToken}` },
      signal,
    })
    if (response.status === 401) throw new StaleTokenError('rejected', input.tokens)
    if (!response.ok) throw new Error(`${resource.href} answered HTTP ${response.status}.`)
    const body: unknown = await response.json()
    const sub = typeof body === 'object' && body !== null && 'sub' in body ? body.sub : undefined
    if (typeof sub !== 'string') throw new Error(`${resource.href} answered without a subject.`)
    return { page: input.page, account: sub }
  })
}
