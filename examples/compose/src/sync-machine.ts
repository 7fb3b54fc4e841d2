import {
  KeywayError,
  KeywayErrorCodes,
  type KeywayOptions,
  type KeywaySnapshot,
  type KeywayState,
  keywayActors,
  keywayMachine,
  type Sealed,
  type TokenSet,
  topState,
} from '@keyway/core'
import { assign, sendTo, setup } from 'xstate'
import { pageFetcher, type StaleReason, StaleTokenError } from './resource.js'

/** What the app is started with. Times are milliseconds. */
export interface SyncSettings {
  /** How many pages to fetch. */
  readonly pages: number
  /** The pause between two pages. */
  readonly pageGap: number
  /** How long the access token must still live for a page to be fetched with it. */
  readonly pageMinTtl: number
  /** How long the person has to sign in before the app cancels the login. */
  readonly loginTimeout: number
  /** Keyway's own refresh timer: this long before expiry (its input `refreshMargin`). */
  readonly refreshMargin: number
}

/** The app's context: its own progress. Keyway's state stays in the child's snapshot. */
export interface SyncContext {
  readonly settings: SyncSettings
  readonly pagesDone: number
  /** Whom the resource said the token belongs to. */
  readonly account: string | undefined
  /** The (sealed) tokens the current page failed with: the app waits for other ones. */
  readonly staleTokens: Sealed<TokenSet> | undefined
  readonly staleReason: StaleReason | undefined
  /** The current page was already tried again with renewed tokens. */
  readonly renewedForPage: boolean
  /** How many `tokens` events the child emitted (new tokens saved to the store). */
  readonly tokensSaved: number
  /** Why the sync failed. */
  readonly failure: Error | undefined
}

/** What the app's machine receives: the child's snapshots, and the child's emitted events. */
export type SyncEvent =
  | { readonly type: 'xstate.snapshot.keyway'; readonly snapshot: KeywaySnapshot }
  | { readonly type: 'keyway.tokens' }
  | { readonly type: 'keyway.loginRequired'; readonly error: KeywayError }

/** What {@link syncMachine} is built for. */
export interface SyncMachineOptions {
  /** Keyway's options, the same as `createKeyway()`'s: provider, client, transport, store. */
  readonly keyway: KeywayOptions
  /** The protected resource the pages come from. */
  readonly resource: URL
}

/** The child's snapshot, when `event` carries one. */
const childSnapshot = (event: SyncEvent) =>
  event.type === 'xstate.snapshot.keyway' ? event.snapshot : undefined

/**
 * A small sync app with Keyway's machine as its child (invoked as `keyway`). It waits for
 * the child to read its store, has it log in when there is no grant, then fetches
 * `settings.pages` pages from `resource` with the child's access token. A token that would
 * expire on the way, or that the resource refuses, makes it send `token.refresh` to the child
 * and wait until the child is `authorized` with other tokens; the child's `loginRequired`
 * ends the sync.
 */
export function syncMachine({ keyway, resource }: SyncMachineOptions) {
  return setup({
    types: {
      context: {} as SyncContext,
      events: {} as SyncEvent,
      input: {} as SyncSettings,
      children: {} as { keyway: 'keyway' },
    },
    actors: {
      keyway: keywayMachine().provide({ actors: keywayActors(keyway) }),
      fetchPage: pageFetcher(resource),
    },
    actions: {
      /**
       * Emitted events go to listeners on the child's ref, not to the parent: pass the ones
       * the app reacts to on as events of its own. The root's entry runs once the invoked
       * child exists, and Keyway emits only after an actor's result, so none is missed.
       */
      listenToKeyway: ({ self }) => {
        const child = self.getSnapshot().children.keyway
        child?.on('tokens', () => self.send({ type: 'keyway.tokens' }))
        child?.on('loginRequired', ({ error }) =>
          self.send({ type: 'keyway.loginRequired', error }),
        )
      },
      login: sendTo('keyway', { type: 'login' }),
      cancelLogin: sendTo('keyway', ({ context }) => ({
        type: 'login.cancel' as const,
        error: new KeywayError(
          KeywayErrorCodes.timeout,
          `Nobody signed in within ${context.settings.loginTimeout} ms.`,
        ),
      })),
      askForRefresh: sendTo('keyway', { type: 'token.refresh' }),
      countTokens: assign({ tokensSaved: ({ context }) => context.tokensSaved + 1 }),
      recordPage: assign(({ context }, params: { readonly account: string }) => ({
        pagesDone: context.pagesDone + 1,
        account: params.account,
        staleTokens: undefined,
        staleReason: undefined,
        renewedForPage: false,
      })),
      recordStale: assign((_, { error }: { readonly error: unknown }) =>
        error instanceof StaleTokenError
          ? { staleTokens: error.tokens, staleReason: error.reason }
          : {},
      ),
      recordRenewal: assign({ renewedForPage: true }),
      recordFailure: assign((_, { error }: { readonly error: unknown }) => ({
        failure: error instanceof Error ? error : new Error(String(error)),
      })),
    },
    guards: {
      keywayIn: ({ event }, params: { readonly states: readonly KeywayState[] }) => {
        const snapshot = childSnapshot(event)
        return snapshot !== undefined && params.states.includes(topState(snapshot))
      },
      /** The child is `authorized` with tokens other than those the page failed with. */
      keywayRenewed: ({ context, event }) => {
        const snapshot = childSnapshot(event)
        return (
          snapshot !== undefined &&
          topState(snapshot) === 'authorized' &&
          snapshot.context.tokens !== undefined &&
          snapshot.context.tokens !== context.staleTokens
        )
      },
      /** The page failed for its tokens, and was not yet tried again with renewed ones. */
      isRenewable: ({ context }, { error }: { readonly error: unknown }) =>
        error instanceof StaleTokenError && !context.renewedForPage,
      allPagesDone: ({ context }) => context.pagesDone >= context.settings.pages,
    },
    delays: {
      pageGap: ({ context }) => context.settings.pageGap,
      loginTimeout: ({ context }) => context.settings.loginTimeout,
    },
  }).createMachine({
    id: 'sync',
    context: ({ input }) => ({
      settings: input,
      pagesDone: 0,
      account: undefined,
      staleTokens: undefined,
      staleReason: undefined,
      renewedForPage: false,
      tokensSaved: 0,
      failure: undefined,
    }),
    invoke: {
      id: 'keyway',
      src: 'keyway',
      input: ({ context }) => ({ refreshMargin: context.settings.refreshMargin }),
      // With `onSnapshot`, the child sends each snapshot to the parent as an
      // `xstate.snapshot.keyway` event; the states below handle it as each needs.
      onSnapshot: {},
    },
    entry: 'listenToKeyway',
    on: { 'keyway.tokens': { actions: 'countTokens' } },
    initial: 'starting',
    states: {
      /** The child reads its store: a grant held is used, anything else needs a login. */
      starting: {
        on: {
          'xstate.snapshot.keyway': [
            { guard: { type: 'keywayIn', params: { states: ['authorized'] } }, target: 'syncing' },
            {
              guard: { type: 'keywayIn', params: { states: ['idle', 'failed', 'loginRequired'] } },
              target: 'signingIn',
            },
          ],
        },
      },
      signingIn: {
        entry: 'login',
        after: { loginTimeout: { actions: 'cancelLogin' } },
        on: {
          'xstate.snapshot.keyway': [
            { guard: { type: 'keywayIn', params: { states: ['authorized'] } }, target: 'syncing' },
            {
              // `login.cancel` leads the child back to `idle`; a failed login, to `failed`.
              guard: { type: 'keywayIn', params: { states: ['idle', 'failed'] } },
              target: 'failed',
              actions: {
                type: 'recordFailure',
                params: ({ event }) => ({
                  error: event.snapshot.context.error ?? new Error('The login did not complete.'),
                }),
              },
            },
          ],
        },
      },
      syncing: {
        initial: 'fetching',
        on: {
          'keyway.loginRequired': {
            target: 'failed',
            actions: { type: 'recordFailure', params: ({ event }) => ({ error: event.error }) },
          },
        },
        states: {
          fetching: {
            invoke: {
              src: 'fetchPage',
              input: ({ context, self }) => ({
                page: context.pagesDone + 1,
                tokens: self.getSnapshot().children.keyway?.getSnapshot().context.tokens,
                minTtl: context.settings.pageMinTtl,
              }),
              onDone: {
                target: 'resting',
                actions: {
                  type: 'recordPage',
                  params: ({ event }) => ({ account: event.output.account }),
                },
              },
              onError: [
                {
                  guard: { type: 'isRenewable', params: ({ event }) => ({ error: event.error }) },
                  target: 'renewing',
                  actions: { type: 'recordStale', params: ({ event }) => ({ error: event.error }) },
                },
                {
                  target: '#sync.failed',
                  actions: {
                    type: 'recordFailure',
                    params: ({ event }) => ({ error: event.error }),
                  },
                },
              ],
            },
          },
          /** Between pages; the sync is done after the last one. */
          resting: {
            always: { guard: 'allPagesDone', target: '#sync.done' },
            after: { pageGap: { target: 'fetching' } },
          },
          /**
           * A refresh is the child's work: ask for one and wait. A child already refreshing
           * ignores the event, so however many parts of an app ask, one refresh happens.
           */
          renewing: {
            entry: 'askForRefresh',
            on: {
              'xstate.snapshot.keyway': {
                guard: 'keywayRenewed',
                target: 'fetching',
                actions: 'recordRenewal',
              },
            },
          },
        },
      },
      done: { type: 'final' },
      failed: { type: 'final' },
    },
  })
}
