import type { SnapshotFrom } from 'xstate'
import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { KeywayMachine } from '../machine/machine.js'
import { isAccessTokenFresh, type TokenSet } from '../tokens.js'
import { loginRequired } from './failures.js'
import type { KeywayState } from './types.js'

/** One snapshot of Keyway's machine, e.g. what a parent machine receives from it. */
export type KeywaySnapshot = SnapshotFrom<KeywayMachine>

/** The top-level state's name of a snapshot (`{ authorized: 'waiting' }` → `authorized`). */
export function topState(snapshot: KeywaySnapshot): KeywayState {
  const { value } = snapshot
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as KeywayState
}

/**
 * The tokens a snapshot holds for callers: the grant's, in every state but `loggingOut`
 * (a grant being revoked is not handed out). Whether they are fresh enough is the caller's
 * question.
 */
export function heldTokens(snapshot: KeywaySnapshot): TokenSet | undefined {
  return snapshot.value === 'loggingOut' ? undefined : snapshot.context.tokens?.unseal()
}

/** True while the machine is working towards a state a caller waits for. */
export function isBusy(state: KeywayState): boolean {
  return (
    state === 'restoring' ||
    state === 'authorizing' ||
    state === 'exchanging' ||
    state === 'refreshing' ||
    state === 'loggingOut'
  )
}

/** True when nothing is under way but, perhaps, a refresh (which a logout cuts off). */
export function isSettledOrRefreshing(state: KeywayState): boolean {
  return !isBusy(state) || state === 'refreshing'
}

/** True when nothing is under way but, perhaps, a login (which another login joins). */
export function isSettledOrLoggingIn(state: KeywayState): boolean {
  return !isBusy(state) || isLoggingIn(state)
}

/** True while a login is under way. */
export function isLoggingIn(state: KeywayState): boolean {
  return state === 'authorizing' || state === 'exchanging'
}

/** What a refresh that ended in `snapshot` gives its callers: the new tokens, or an error. */
export function refreshEnding(snapshot: KeywaySnapshot, now: number): TokenSet {
  const state = topState(snapshot)
  const { error } = snapshot.context
  const tokens = snapshot.context.tokens?.unseal()
  if (state === 'authorized' && error === undefined && tokens !== undefined) {
    if (isAccessTokenFresh(tokens, now)) return tokens
    throw loginRequired('The access token expired and cannot be renewed.')
  }
  if (state === 'loginRequired') throw loginRequired('The grant is no longer valid.', error)
  if (state === 'authorized' && error !== undefined) throw error
  throw new KeywayError(KeywayErrorCodes.aborted, 'The refresh was cut off by a logout.')
}

/** What a login that ended in `snapshot` gives its caller: the new tokens, or an error. */
export function loginEnding(snapshot: KeywaySnapshot): TokenSet {
  const { error } = snapshot.context
  if (error !== undefined) throw error
  const tokens = snapshot.context.tokens?.unseal()
  if (topState(snapshot) !== 'authorized' || tokens === undefined) {
    throw new KeywayError(KeywayErrorCodes.aborted, 'The login did not complete.')
  }
  return tokens
}
