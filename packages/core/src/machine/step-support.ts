import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { CodeSession } from '../ports/transport.js'
import type { Sealed } from '../sealed.js'
import type { TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'
import { nextTurn } from './next-turn.js'
import { sealTokens } from './sealed-tokens.js'

/** A failure of the store (or of anything else that is not already a `KeywayError`). */
export function asStoreError(error: unknown, doing: string): KeywayError {
  if (error instanceof KeywayError) return error
  return new KeywayError(KeywayErrorCodes.storeError, `The token store failed while ${doing}.`, {
    cause: error,
  })
}

/** Tells the transport how the login ended, then closes it; its own failures are reported. */
export async function closeQuietly(
  session: CodeSession,
  error: KeywayError | undefined,
  deps: ActorDeps,
) {
  try {
    await session.finish(error === undefined ? { ok: true } : { ok: false, error })
  } catch (failure) {
    deps.report(asStoreError(failure, 'telling the transport how the login ended'))
  } finally {
    await session.close().catch(() => undefined)
  }
}

/** Saves `tokens`, under the refresh lock when one is held. */
export async function saveTokens(
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
 * Hands tokens a step has saved to whoever waits for them, then returns them sealed for the
 * machine: when someone was waiting, on the event loop's next turn, so that the machine's
 * move to `authorized` (and its `tokens` event) holds up no one.
 */
export async function handOver(
  step: 'login' | 'refresh',
  tokens: TokenSet,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<Sealed<TokenSet>> {
  if (!signal.aborted && deps.delivered?.(step, tokens) === true) await nextTurn()
  return sealTokens(tokens)
}
