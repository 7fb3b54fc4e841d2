import { createHash } from 'node:crypto'
import type { StoreKey } from '@keyway/core'

/** How a child process opens the store under test: a module's factory and its options. */
export interface ChildStoreSpec {
  /** The store package's built entry, as a `file:` URL (children run `dist/`, not sources). */
  readonly module: string
  /** The factory's export name, e.g. `fileStore`. */
  readonly factory: string
  /** The factory's options, as JSON. */
  readonly options: unknown
}

/** What a token worker is told to do, passed as its one argument (JSON). */
export type WorkerConfig =
  | {
      readonly mode: 'poll'
      readonly store: ChildStoreSpec
      readonly issuer: string
      readonly clientId: string
      readonly refreshMargin: number
      readonly lockLease: number
      /** The pause between two `getAccessToken()` calls. */
      readonly pollMs: number
    }
  | {
      readonly mode: 'hold-lock'
      readonly store: ChildStoreSpec
      readonly key: StoreKey
      readonly leaseMs: number
    }
  | {
      /** Restore, say `ready`, then one `getAccessToken()` (a refresh when the token is due). */
      readonly mode: 'refresh'
      readonly store: ChildStoreSpec
      readonly issuer: string
      readonly clientId: string
      readonly profile: string
      readonly lockLease: number
    }

/** A token as children report it: its digest (never the token) and its expiry. */
export interface SeenToken {
  readonly digest: string
  readonly expiresAt: number | undefined
}

/** Messages from a worker. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'locked' }
  | {
      readonly type: 'final'
      /** The token `getAccessToken()` returned last. */
      readonly final: string
      /** Every token the worker's Keyway announced (`tokens` events). */
      readonly seen: readonly SeenToken[]
      /** Failures by code: `call:<code>` for a rejected call, `event:<code>` for an event. */
      readonly failures: Readonly<Record<string, number>>
      readonly calls: number
    }
  | {
      readonly type: 'refreshed'
      /** The token `getAccessToken()` returned, as its digest. */
      readonly digest: string
    }
  | {
      readonly type: 'refresh-failed'
      /** The `KeywayError` code the call rejected with, or `unexpected`. */
      readonly code: string
    }

/** Messages to a worker. */
export type ParentMessage = { readonly type: 'final' } | { readonly type: 'exit' }

/** A short, one-way name for a token, safe to log and compare across processes. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16)
}
