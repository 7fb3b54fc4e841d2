import { planRefresh } from '../machine/schedule.js'
import { isAccessTokenFresh, type TokenSet } from '../tokens.js'
import { loginRequired } from './failures.js'
import type { KeywayState } from './types.js'

/**
 * What the grant read at start allows without the machine: a state to show (with the token
 * to serve, and when its refresh falls due) or, for a grant that needs a refresh now, the
 * machine.
 */
export type RestoredView =
  | {
      readonly state: KeywayState
      readonly usable?: TokenSet
      /** When the machine must take over to refresh (epoch ms), if ever. */
      readonly refreshAt?: number
    }
  | 'start the machine'

/** Reads the grant the store held at start (see {@link RestoredView}). */
export function viewRestored(
  tokens: TokenSet | undefined,
  plan: { readonly now: number; readonly margin: number; readonly random: number },
): RestoredView {
  if (tokens === undefined) return { state: 'idle' }
  if (isAccessTokenFresh(tokens, plan.now)) {
    const refreshAt = planRefresh(tokens, plan)
    return {
      state: 'authorized',
      usable: tokens,
      ...(refreshAt === undefined ? {} : { refreshAt }),
    }
  }
  return tokens.refreshToken === undefined ? { state: 'loginRequired' } : 'start the machine'
}

/**
 * The answer to a token request while the machine has not started: the token when it is
 * fresh enough, a `login_required` error when there is no grant, undefined when the machine
 * must take over (a refresh).
 */
export function quickAnswer(
  state: KeywayState,
  usable: TokenSet | undefined,
  wanted: { readonly forceRefresh: boolean; readonly minTtl: number; readonly now: number },
): TokenSet | undefined {
  switch (state) {
    case 'authorized':
      return usable !== undefined &&
        !wanted.forceRefresh &&
        isAccessTokenFresh(usable, wanted.now, wanted.minTtl)
        ? usable
        : undefined
    case 'idle':
      throw loginRequired('No one is logged in.')
    case 'loginRequired':
      throw loginRequired('The stored access token expired and the grant has no refresh token.')
    default:
      return undefined
  }
}
