import { abortError, configError, KeywayError, KeywayErrorCodes } from '../errors.js'
import type { StoreKey, TokenStore } from '../ports/store.js'
import type { CodeSession, CodeTransport, Transport } from '../ports/transport.js'
import type { Protocol } from '../protocol/client.js'
import { Sealed } from '../sealed.js'
import { isAccessTokenFresh, sameAccessToken, type TokenSet } from '../tokens.js'
import { xstate } from '../xstate-runtime.js'
import { nextTurn } from './next-turn.js'
import { carryTokens, sealTokens } from './sealed-tokens.js'
import type { PendingLogin } from './types.js'

/** What the machine's actors work with. */
export interface ActorDeps {
  /** The protocol, loaded with openid-client on first use. */
  readonly protocol: () => Promise<Protocol>
  readonly store: TokenStore
  readonly key: StoreKey
  /** The store read made at start, which the machine's first `restore` reuses. */
  readonly restored?: Promise<TokenSet | undefined>
  readonly transport: Transport | undefined
  readonly lockLease: number
  readonly now: () => number
  /** Reports a problem that did not stop the step (emitted as an `error` event). */
  readonly report: (error: KeywayError) => void
  /**
   * Told of every step's work, so that `stop()` can wait until work it cut short has let go
   * of what it held (a store lock) before the app closes the store.
   */
  readonly track?: <T>(work: Promise<T>) => Promise<T>
  /**
   * Told the tokens a refresh has just saved, before the actor returns them to the machine:
   * callers waiting for a token get it then, without waiting for the machine's own move back
   * to `authorized` (which follows in the same tick).
   */
  readonly delivered?: (tokens: TokenSet) => boolean
}

function sealPending(pending: PendingLogin): Sealed<PendingLogin> {
  return new Sealed(pending, (value) => ({ kind: value.kind, transport: value.transport }))
}

function asStoreError(error: unknown, doing: string): KeywayError {
  if (error instanceof KeywayError) return error
  return new KeywayError(KeywayErrorCodes.storeError, `The token store failed while ${doing}.`, {
    cause: error,
  })
}

async function closeQuietly(session: CodeSession, error: KeywayError | undefined, deps: ActorDeps) {
  try {
    await session.finish(error === undefined ? { ok: true } : { ok: false, error })
  } catch (failure) {
    deps.report(asStoreError(failure, 'telling the transport how the login ended'))
  } finally {
    await session.close().catch(() => undefined)
  }
}

async function authorizeWithCode(
  transport: CodeTransport,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<Sealed<PendingLogin>> {
  const session = await transport.open({ signal })
  try {
    const protocol = await deps.protocol()
    const attempt = await protocol.beginAuthorization(session.redirectUri, signal)
    const callback = await session.receive({
      url: attempt.url,
      state: attempt.state,
      issuer: attempt.issuer,
      issRequired: attempt.issRequired,
      signal,
    })
    protocol.assertCallbackMatches(attempt, callback)
    return sealPending({ kind: 'code', transport: transport.name, session, attempt, callback })
  } catch (error) {
    const failure =
      error instanceof KeywayError ? error : asStoreError(error, 'waiting for the callback')
    await closeQuietly(session, failure, deps)
    throw failure
  }
}

async function saveTokens(
  deps: ActorDeps,
  tokens: TokenSet,
  lock?: { fence?: number; release(): Promise<void> },
) {
  try {
    await deps.store.save(deps.key, tokens, lock === undefined ? undefined : { lock })
  } catch (error) {
    throw asStoreError(error, 'saving the tokens')
  }
}

/**
 * Refreshes under the store's lock when it has one: after taking it, the store is read again,
 * since another process may have refreshed already; only when it has not is a request sent.
 */
async function refreshUnderLock(
  current: TokenSet,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<TokenSet> {
  const { store, key } = deps
  const lock = store.lock
    ? await store.lock(key, { leaseMs: deps.lockLease, signal }).catch((error: unknown) => {
        throw asStoreError(error, 'taking the refresh lock')
      })
    : undefined
  try {
    let base = current
    if (lock !== undefined) {
      const stored = await store.load(key, { report: deps.report }).catch((error: unknown) => {
        throw asStoreError(error, 'reading the tokens')
      })
      if (stored === undefined) {
        throw new KeywayError(
          KeywayErrorCodes.loginRequired,
          'The stored grant was removed (a logout in another process); log in again.',
        )
      }
      if (!sameAccessToken(stored, current) && isAccessTokenFresh(stored, deps.now())) {
        return stored
      }
      if (stored.refreshToken !== undefined) base = stored
    }
    let fresh: TokenSet
    try {
      fresh = await (await deps.protocol()).refresh(base, signal)
    } catch (error) {
      if (error instanceof KeywayError && error.code === KeywayErrorCodes.loginRequired) {
        await store.delete(key).catch((failure: unknown) => {
          deps.report(asStoreError(failure, 'clearing the dead grant'))
        })
      }
      throw error
    }
    // The machine may have left `refreshing` (a logout, a stop) while the request was out:
    // its answer must not bring back a grant the store has just cleared.
    if (signal.aborted) throw abortError(signal, 'The refresh')
    try {
      await saveTokens(deps, fresh, lock)
    } catch (error) {
      throw carryTokens(error as KeywayError, fresh)
    }
    return fresh
  } finally {
    if (lock !== undefined) letGo(lock, deps)
  }
}

/**
 * Releases the refresh lock without holding up the result: the tokens are saved, so callers
 * need not wait for a file to be unlinked or a Redis key to be deleted. `stop()` still waits
 * for the release through `track`.
 */
function letGo(lock: { release(): Promise<void> }, deps: ActorDeps): void {
  const releasing = lock.release().catch(() => undefined)
  deps.track?.(releasing)
}

/**
 * The implementations of the machine's actors, bound to one client, store and transport;
 * `createKeyway()` provides them with `keywayMachine.provide({ actors })`.
 */
export function keywayActors(deps: ActorDeps) {
  const { fromPromise } = xstate()
  const tracked =
    <A, O>(run: (args: A) => Promise<O>) =>
    (args: A): Promise<O> => {
      const work = run(args)
      return deps.track === undefined ? work : deps.track(work)
    }
  return {
    restore: fromPromise<Sealed<TokenSet> | undefined>(
      tracked(async () => {
        try {
          const tokens = await (deps.restored ?? deps.store.load(deps.key, { report: deps.report }))
          return tokens === undefined ? undefined : sealTokens(tokens)
        } catch (error) {
          throw asStoreError(error, 'reading the tokens')
        }
      }),
    ),

    authorize: fromPromise<Sealed<PendingLogin>>(
      tracked(async ({ signal }) => {
        const { transport } = deps
        if (transport === undefined) {
          throw configError('login() needs a transport: pass one to createKeyway().')
        }
        if (transport.kind === 'tokens') {
          const protocol = await deps.protocol()
          const tokens = await transport.authorize({ signal, device: protocol.device() })
          return sealPending({ kind: 'tokens', transport: transport.name, tokens })
        }
        return authorizeWithCode(transport, deps, signal)
      }),
    ),

    exchange: fromPromise<Sealed<TokenSet>, Sealed<PendingLogin>>(
      tracked(async ({ input, signal }) => {
        const pending = input.unseal()
        if (pending.kind === 'tokens') {
          await saveTokens(deps, pending.tokens)
          return sealTokens(pending.tokens)
        }
        let failure: KeywayError | undefined
        try {
          const protocol = await deps.protocol()
          const tokens = await protocol.exchange(pending.attempt, pending.callback, signal)
          if (signal.aborted) throw abortError(signal)
          await saveTokens(deps, tokens)
          return sealTokens(tokens)
        } catch (error) {
          failure = error instanceof KeywayError ? error : asStoreError(error, 'exchanging')
          throw failure
        } finally {
          await closeQuietly(pending.session, failure, deps)
        }
      }),
    ),

    refresh: fromPromise<Sealed<TokenSet>, Sealed<TokenSet>>(
      tracked(async ({ input, signal }) => {
        const fresh = await refreshUnderLock(input.unseal(), deps, signal)
        // Callers waiting for these tokens have them: the machine moves on at the next turn.
        if (!signal.aborted && deps.delivered?.(fresh) === true) await nextTurn()
        return sealTokens(fresh)
      }),
    ),

    logout: fromPromise<undefined, Sealed<TokenSet> | undefined>(
      tracked(async ({ input, signal }) => {
        const tokens =
          input?.unseal() ??
          (await deps.store.load(deps.key, { report: deps.report }).catch(() => undefined))
        if (tokens !== undefined) {
          const revoking = deps.protocol().then((protocol) => protocol.revoke(tokens, signal))
          await revoking.catch((error: unknown) => {
            deps.report(
              error instanceof KeywayError ? error : asStoreError(error, 'revoking the tokens'),
            )
          })
        }
        try {
          await deps.store.delete(deps.key)
        } catch (error) {
          throw asStoreError(error, 'clearing the tokens')
        }
        return undefined
      }),
    ),
  }
}
