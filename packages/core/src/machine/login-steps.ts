import { abortError, KeywayError } from '../errors.js'
import type { CodeTransport } from '../ports/transport.js'
import { Sealed } from '../sealed.js'
import type { TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'
import { asStoreError, closeQuietly, saveTokens } from './step-support.js'
import type { PendingLogin } from './types.js'

/** Seals a pending login so that serializers see only its kind and transport. */
export function sealPending(pending: PendingLogin): Sealed<PendingLogin> {
  return new Sealed(pending, (value) => ({ kind: value.kind, transport: value.transport }))
}

/** Runs a code transport until its callback arrives and matches the attempt. */
export async function authorizeWithCode(
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
    const code = protocol.checkedCode(attempt, callback)
    return sealPending({
      kind: 'code',
      transport: transport.name,
      session,
      attempt,
      callback,
      code,
    })
  } catch (error) {
    const failure =
      error instanceof KeywayError ? error : asStoreError(error, 'waiting for the callback')
    await closeQuietly(session, failure, deps)
    throw failure
  }
}

/**
 * Redeems the code once and saves the tokens (or saves the device grant's tokens); the
 * transport is told how it went, and closed, before this resolves.
 */
export async function exchangeAndSave(
  pending: PendingLogin,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<TokenSet> {
  if (pending.kind === 'tokens') {
    await saveTokens(deps, pending.tokens)
    return pending.tokens
  }
  let failure: KeywayError | undefined
  try {
    const protocol = await deps.protocol()
    const tokens = await protocol.exchange(pending.attempt, pending.callback, pending.code, signal)
    if (signal.aborted) throw abortError(signal)
    await saveTokens(deps, tokens)
    return tokens
  } catch (error) {
    failure = error instanceof KeywayError ? error : asStoreError(error, 'exchanging')
    throw failure
  } finally {
    await closeQuietly(pending.session, failure, deps)
  }
}
