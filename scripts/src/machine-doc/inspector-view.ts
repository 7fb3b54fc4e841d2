import type { KeywayContext } from '@keyway/core'

/**
 * What an inspector (or any serializer of a snapshot) sees of each context field. Kept by
 * hand: typed by `KeywayContext`'s keys, so a field added there fails the build until it is
 * described here, and the docs test compares these keys with the machine's real context.
 */
export const INSPECTOR_VIEW: Readonly<Record<keyof KeywayContext, string>> = {
  tokens:
    'A summary: `tokenType`, `expiresAt`, `scope`, `obtainedAt`, `hasRefreshToken`, `hasIdToken`. No token value.',
  unsaved: 'As is.',
  pending:
    'A summary: `kind` (how the login came back: a code, or tokens) and `transport` (its name). No code, state, PKCE verifier or token.',
  error:
    "`name`, `code`, `message`, and, when present, the provider's `error`, `errorDescription` and the HTTP `status`. Its message never holds a secret.",
  refreshAt: 'As is.',
  refreshFailures: 'As is.',
  refreshMargin: 'As is.',
  clock: 'Nothing: `{}` (functions do not serialize).',
}
