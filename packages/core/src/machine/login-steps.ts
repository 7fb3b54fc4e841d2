import { abortError, KeywayError } from '../errors.js'
import type { CodeTransport } from '../ports/transport.js'
import { Sealed } from '../sealed.js'
import type { TokenSet } from '../tokens.js'
import type { ActorDeps } from './actor-deps.js'
import { asTransportError, closeQuietly, saveTokens } from './step-support.js'
import type { PendingLogin } from './types.js'

/** Seals a pending login so that serializers see only its kind and transport. */
export function sealPending(pending: PendingLogin): Sealed<PendingLogin> {
  return new Sealed(pending, (value) => ({ kind: value.kind, transport: value.transport }))
}

/** Opens the transport, classifying its failure as the transport's. */
async function open(transport: CodeTransport, signal: AbortSignal) {
  try {
    return await transport.open({ signal })
  } catch (error) {
    throw asTransportError(error, transport.name, 'opening')
  }
}

/** Runs a code transport until its callback arrives and matches the attempt. */
export async function authorizeWithCode(
  transport: CodeTransport,
  deps: ActorDeps,
  signal: AbortSignal,
): Promise<Sealed<PendingLogin>> {
  const session = await open(transport, signal)
  try {
    // The protocol's own failures (discovery, a bad callback) are KeywayErrors already.
    const protocol = await deps.protocol()
    const attempt = await protocol.beginAuthorization(session.redirectUri, signal)
    const callback = await session
      .receive({
        url: attempt.url,
        state: attempt.state,
        issuer: attempt.issuer,
        issRequired: attempt.issRequired,
        signal,
      })
      .catch((error: unknown) => {
        throw asTransportError(error, transport.name, 'waiting for the callback')
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
      error instanceof KeywayError ? error : asTransportError(error, transport.name, 'authorizing')
    await closeQuietly(session, transport.name, failure, deps)
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
    // The protocol and the store classify their own failures.
    failure = error as KeywayError
    throw error
  } finally {
    await closeQuietly(pending.session, pending.transport, failure, deps)
  }
}
