import type { PromiseActorLogic } from 'xstate'
import { configError, type KeywayError } from '../errors.js'
import type { Sealed } from '../sealed.js'
import type { TokenSet } from '../tokens.js'
import { xstate } from '../xstate-runtime.js'
import type { ActorDeps } from './actor-deps.js'
import { authorizeWithCode, exchangeAndSave, sealPending } from './login-steps.js'
import { refreshUnderLock } from './refresh-step.js'
import { saveHeldUnderLock } from './resave-step.js'
import { sealTokens } from './sealed-tokens.js'
import { asStoreError, asTransportError } from './step-support.js'
import type { PendingLogin, RefreshInput, RefreshOutput } from './types.js'
import type { HeldGrant } from './under-lock.js'

export type { ActorDeps } from './actor-deps.js'

/** The held grant an actor's input describes. */
function heldGrant(input: RefreshInput): HeldGrant {
  return { tokens: input.tokens.unseal(), unsaved: input.unsaved }
}

/** Settles when `signal` aborts: for an actor with nothing to wait for but its end. */
function whenAborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined)
    else signal.addEventListener('abort', () => resolve(undefined), { once: true })
  })
}

/**
 * The implementations of the machine's actors, bound to one client, store and transport.
 * Each rejects only with a `KeywayError`, classified where the failure arose.
 */
export function bindActors(deps: ActorDeps): KeywayActors {
  const { fromPromise } = xstate()
  let unread = deps.restored
  const tracked =
    <A, O>(run: (args: A) => Promise<O>) =>
    (args: A): Promise<O> => {
      const work = run(args)
      return deps.track === undefined ? work : deps.track(work)
    }
  return {
    restore: fromPromise<Sealed<TokenSet> | undefined>(
      tracked(async () => {
        // A read made before the machine started serves its first restore only: a restore
        // asked for later must see what the store holds now.
        const preloaded = unread
        unread = undefined
        try {
          const tokens = await (preloaded ?? deps.store.load(deps.key, { report: deps.report }))
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
          const tokens = await transport
            .authorize({ signal, device: protocol.device() })
            .catch((error: unknown) => {
              throw asTransportError(error, transport.name, 'authorizing')
            })
          return sealPending({ kind: 'tokens', transport: transport.name, tokens })
        }
        return authorizeWithCode(transport, deps, signal)
      }),
    ),

    exchange: fromPromise<Sealed<TokenSet>, Sealed<PendingLogin>>(
      tracked(async ({ input, signal }) =>
        sealTokens(await exchangeAndSave(input.unseal(), deps, signal)),
      ),
    ),

    refresh: fromPromise<RefreshOutput, RefreshInput>(
      tracked(async ({ input, signal }) => {
        const { tokens, saveError } = await refreshUnderLock(heldGrant(input), deps, signal)
        return saveError === undefined
          ? { tokens: sealTokens(tokens) }
          : { tokens: sealTokens(tokens), saveError }
      }),
    ),

    storeBack: fromPromise<undefined>(async ({ signal }) => {
      const { store } = deps
      try {
        if (store.whenAvailable !== undefined) {
          await store.whenAvailable({ signal })
          return undefined
        }
      } catch {
        // Never fails: a store that cannot tell leaves the machine to its backoff.
      }
      return whenAborted(signal)
    }),

    resave: fromPromise<Sealed<TokenSet>, RefreshInput>(
      tracked(async ({ input, signal }) =>
        sealTokens(await saveHeldUnderLock(heldGrant(input), deps, signal)),
      ),
    ),

    logout: fromPromise<undefined, Sealed<TokenSet> | undefined>(
      tracked(async ({ input, signal }) => {
        const tokens =
          input?.unseal() ??
          (await deps.store.load(deps.key, { report: deps.report }).catch(() => undefined))
        if (tokens !== undefined) {
          // A revocation that fails is reported; the grant is forgotten here all the same.
          await deps
            .protocol()
            .then((protocol) => protocol.revoke(tokens, signal))
            .catch((error: KeywayError) => deps.report(error))
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

/** The actors Keyway's machine runs, for `keywayMachine().provide({ actors })`. */
export interface KeywayActors {
  /** Reads the stored tokens, if any. */
  readonly restore: PromiseActorLogic<Sealed<TokenSet> | undefined>
  /** Runs the transport until a callback (or, for the device grant, tokens) arrives. */
  readonly authorize: PromiseActorLogic<Sealed<PendingLogin>>
  /** Redeems the code once and saves the tokens. */
  readonly exchange: PromiseActorLogic<Sealed<TokenSet>, Sealed<PendingLogin>>
  /** Refreshes under the store's lock and saves; a failed save comes back beside the tokens. */
  readonly refresh: PromiseActorLogic<RefreshOutput, RefreshInput>
  /** Resolves when the store is reachable again after an outage; never fails. */
  readonly storeBack: PromiseActorLogic<undefined>
  /** Saves tokens held unsaved, under the store's lock, without asking the provider. */
  readonly resave: PromiseActorLogic<Sealed<TokenSet>, RefreshInput>
  /** Revokes what can be revoked and clears the store. */
  readonly logout: PromiseActorLogic<undefined, Sealed<TokenSet> | undefined>
}
