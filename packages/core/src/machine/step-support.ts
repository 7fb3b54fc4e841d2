import { KeywayError, KeywayErrorCodes } from '../errors.js'
import type { CodeSession } from '../ports/transport.js'
import type { TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'

/** A failure of the token store, as the store reported it or as a `store_error`. */
export function asStoreError(error: unknown, doing: string): KeywayError {
  if (error instanceof KeywayError) return error
  return new KeywayError(KeywayErrorCodes.storeError, `The token store failed while ${doing}.`, {
    cause: error,
  })
}

/**
 * A failure of a transport, as the transport reported it or, for anything else (a socket
 * that hung up, input that broke off), as `aborted`: the login was cut off before it could
 * complete, and a new one may be tried. The original is kept as the cause.
 */
export function asTransportError(error: unknown, transport: string, doing: string): KeywayError {
  if (error instanceof KeywayError) return error
  return new KeywayError(
    KeywayErrorCodes.aborted,
    `The ${transport} transport failed while ${doing}; the login was cut off.`,
    { cause: error },
  )
}

/** Tells the transport how the login ended, then closes it; its own failures are reported. */
export async function closeQuietly(
  session: CodeSession,
  transport: string,
  error: KeywayError | undefined,
  deps: ActorDeps,
) {
  try {
    await session.finish(error === undefined ? { ok: true } : { ok: false, error })
  } catch (failure) {
    deps.report(asTransportError(failure, transport, 'showing how the login ended'))
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
