import { configError, KeywayError, KeywayErrorCodes } from '../errors.js'
import type { Sealed } from '../sealed.js'
import type { TokenSet } from '../tokens.js'
import { hasRefreshToken, isAccessTokenFresh } from '../tokens.js'
import { xstate } from '../xstate-runtime.js'
import { delayUntil, planRefresh, planRetry } from './schedule.js'
import { tokensCarriedBy } from './sealed-tokens.js'
import type {
  KeywayContext,
  KeywayEmitted,
  KeywayEvent,
  KeywayMachineInput,
  MachineClock,
  PendingLogin,
} from './types.js'

/** True when restored tokens can be used as they are. */
function isStillValid(tokens: Sealed<TokenSet> | undefined, now: number): boolean {
  const value = tokens?.unseal()
  return value !== undefined && isAccessTokenFresh(value, now)
}

/** The tokens the `restore` actor brought back, from its done event. */
function restoredTokens(event: { type: string }): Sealed<TokenSet> | undefined {
  return (event as { output?: Sealed<TokenSet> }).output
}

const systemClock: MachineClock = { now: () => Date.now(), random: () => Math.random() }

/** Where `login.cancel` leads: back to the tokens held before the login, or to `idle`. */
const cancelLogin = [
  { guard: 'hasTokens', target: 'authorized', actions: 'recordCancel' },
  { target: 'idle', actions: 'recordCancel' },
] as const

const notProvided = (name: string) => async (): Promise<never> => {
  throw configError(`The machine's ${name} actor was not provided: use createKeyway().`)
}

function asKeywayError(error: unknown): KeywayError {
  return error instanceof KeywayError
    ? error
    : new KeywayError(KeywayErrorCodes.invalidResponse, 'An unexpected error occurred.', {
        cause: error,
      })
}

/** Builds the machine; see {@link keywayMachine}. */
function buildKeywayMachine() {
  const { assign, emit, fromPromise, setup } = xstate()
  return setup({
    types: {
      context: {} as KeywayContext,
      events: {} as KeywayEvent,
      input: {} as KeywayMachineInput,
      emitted: {} as KeywayEmitted,
    },
    actors: {
      /** Reads the stored tokens, if any. */
      restore: fromPromise<Sealed<TokenSet> | undefined>(notProvided('restore')),
      /** Runs the transport until a callback (or, for the device grant, tokens) arrives. */
      authorize: fromPromise<Sealed<PendingLogin>>(notProvided('authorize')),
      /** Redeems the code once and saves the tokens; tells the transport how it went. */
      exchange: fromPromise<Sealed<TokenSet>, Sealed<PendingLogin>>(notProvided('exchange')),
      /** Refreshes (under the store's lock when it has one) and saves the new tokens. */
      refresh: fromPromise<Sealed<TokenSet>, Sealed<TokenSet>>(notProvided('refresh')),
      /** Revokes what can be revoked and clears the store. */
      logout: fromPromise<undefined, Sealed<TokenSet> | undefined>(notProvided('logout')),
    },
    actions: {
      planRefresh: assign({
        refreshAt: ({ context }) =>
          planRefresh(context.tokens?.unseal(), {
            now: context.clock.now(),
            margin: context.refreshMargin,
            random: context.clock.random(),
          }),
      }),
      planRetry: assign({
        refreshAt: ({ context }) =>
          planRetry(context.tokens?.unseal(), {
            now: context.clock.now(),
            failures: context.refreshFailures,
            random: context.clock.random(),
          }),
      }),
      recordCancel: assign({
        error: ({ context, event }) =>
          event.type === 'login.cancel' ? event.error : context.error,
        pending: undefined,
      }),
      emitTokens: emit(({ context }) => ({ type: 'tokens', tokens: context.tokens! }) as const),
      emitError: emit(({ context }) => ({ type: 'error', error: context.error! }) as const),
      emitLoginRequired: emit(
        ({ context }) =>
          ({
            type: 'loginRequired',
            error:
              context.error ??
              new KeywayError(KeywayErrorCodes.loginRequired, 'An interactive login is needed.'),
          }) as const,
      ),
    },
    guards: {
      hasTokens: ({ context }) => context.tokens !== undefined,
      hasRefreshToken: ({ context }) => hasRefreshToken(context.tokens?.unseal()),
      isRefreshDue: ({ context }) =>
        context.refreshAt !== undefined && context.refreshAt <= context.clock.now(),
      /** The store held an access token that is still valid. */
      isRestoredTokenValid: ({ context, event }) =>
        isStillValid(restoredTokens(event), context.clock.now()),
      /** The store held an expired grant that a refresh token can renew. */
      isRestoredGrantRefreshable: ({ event }) => hasRefreshToken(restoredTokens(event)?.unseal()),
      /** The store held a grant at all. */
      isGrantRestored: ({ event }) => restoredTokens(event) !== undefined,
      /** The provider no longer honours the grant (`invalid_grant`, revoked). */
      isGrantGone: ({ event }) =>
        asKeywayError((event as { error?: unknown }).error).code === KeywayErrorCodes.loginRequired,
    },
    delays: {
      untilRefresh: ({ context }) => delayUntil(context.refreshAt, context.clock.now()),
    },
  }).createMachine({
    id: 'keyway',
    context: ({ input }) => ({
      tokens: undefined,
      pending: undefined,
      error: undefined,
      refreshAt: undefined,
      refreshFailures: 0,
      refreshMargin: input.refreshMargin,
      clock: input.clock ?? systemClock,
    }),
    initial: 'restoring',
    states: {
      restoring: {
        invoke: {
          src: 'restore',
          onDone: [
            {
              guard: 'isRestoredTokenValid',
              target: 'authorized',
              actions: assign({ tokens: ({ event }) => event.output }),
            },
            {
              guard: 'isRestoredGrantRefreshable',
              target: 'refreshing',
              actions: assign({ tokens: ({ event }) => event.output }),
            },
            { guard: 'isGrantRestored', target: 'loginRequired' },
            { target: 'idle' },
          ],
          onError: {
            target: 'failed',
            actions: [assign({ error: ({ event }) => asKeywayError(event.error) }), 'emitError'],
          },
        },
      },
      idle: {
        on: { login: { target: 'authorizing' } },
      },
      authorizing: {
        entry: assign({ error: undefined }),
        invoke: {
          src: 'authorize',
          onDone: {
            target: 'exchanging',
            actions: assign({ pending: ({ event }) => event.output }),
          },
          onError: {
            target: 'failed',
            actions: [assign({ error: ({ event }) => asKeywayError(event.error) }), 'emitError'],
          },
        },
        on: { 'login.cancel': cancelLogin },
      },
      exchanging: {
        invoke: {
          src: 'exchange',
          input: ({ context }) => context.pending!,
          onDone: {
            target: 'authorized',
            actions: [
              assign({
                tokens: ({ event }) => event.output,
                pending: undefined,
                refreshFailures: 0,
              }),
              'emitTokens',
            ],
          },
          onError: {
            target: 'failed',
            actions: [
              assign({ error: ({ event }) => asKeywayError(event.error), pending: undefined }),
              'emitError',
            ],
          },
        },
        on: { 'login.cancel': cancelLogin },
      },
      authorized: {
        initial: 'waiting',
        states: {
          /** Waiting for the planned refresh time. */
          waiting: {
            entry: 'planRefresh',
            after: {
              untilRefresh: [
                { guard: { type: 'isRefreshDue' }, target: '#keyway.refreshing' },
                // The plan lay beyond what one timer can wait: wait again.
                { target: 'waiting', reenter: true },
              ],
            },
          },
          /** A refresh failed for a passing reason (network, 5xx): try again after a backoff. */
          retrying: {
            entry: 'planRetry',
            after: { untilRefresh: { target: '#keyway.refreshing' } },
          },
        },
        on: {
          'token.refresh': [
            { guard: { type: 'hasRefreshToken' }, target: 'refreshing' },
            { target: 'loginRequired' },
          ],
          login: { target: 'authorizing' },
          logout: { target: 'loggingOut' },
        },
      },
      refreshing: {
        invoke: {
          src: 'refresh',
          input: ({ context }) => context.tokens!,
          onDone: {
            target: 'authorized',
            actions: [
              assign({ tokens: ({ event }) => event.output, error: undefined, refreshFailures: 0 }),
              'emitTokens',
            ],
          },
          onError: [
            {
              guard: 'isGrantGone',
              target: 'loginRequired',
              actions: assign({
                error: ({ event }) => asKeywayError(event.error),
                tokens: undefined,
              }),
            },
            {
              target: 'authorized.retrying',
              actions: [
                assign({
                  error: ({ event }) => asKeywayError(event.error),
                  tokens: ({ context, event }) => tokensCarriedBy(event.error) ?? context.tokens,
                  refreshFailures: ({ context }) => context.refreshFailures + 1,
                }),
                'emitError',
              ],
            },
          ],
        },
        on: { logout: { target: 'loggingOut' } },
      },
      loginRequired: {
        entry: 'emitLoginRequired',
        on: {
          login: { target: 'authorizing' },
          logout: { target: 'loggingOut' },
        },
      },
      failed: {
        on: {
          login: { target: 'authorizing' },
          'token.refresh': { guard: { type: 'hasRefreshToken' }, target: 'refreshing' },
          logout: { target: 'loggingOut' },
        },
      },
      loggingOut: {
        invoke: {
          src: 'logout',
          input: ({ context }) => context.tokens,
          onDone: {
            target: 'idle',
            actions: assign({ tokens: undefined, error: undefined, refreshAt: undefined }),
          },
          onError: {
            target: 'failed',
            actions: [
              assign({
                tokens: undefined,
                refreshAt: undefined,
                error: ({ event }) => asKeywayError(event.error),
              }),
              'emitError',
            ],
          },
        },
      },
    },
  })
}

/** The machine's type, for `.provide()` and typed actors. */
export type KeywayMachine = ReturnType<typeof buildKeywayMachine>

let built: KeywayMachine | undefined

/**
 * Keyway's state machine: `restoring` → `idle` → `authorizing` → `exchanging` → `authorized`
 * ⇄ `refreshing`, with `loginRequired`, `failed` and `loggingOut`.
 *
 * Its actors (`restore`, `authorize`, `exchange`, `refresh`, `logout`), the clock-bound
 * actions (`planRefresh`, `planRetry`), the guard `isRefreshDue` and the delay
 * `untilRefresh` are named here and implemented by `createKeyway()` with `.provide()`;
 * tests swap them the same way.
 *
 * @example
 * ```ts
 * import { createActor, fromPromise } from 'xstate'
 * import { keywayMachine } from '@keyway/core'
 * const actor = createActor(
 *   keywayMachine().provide({ actors: { restore: fromPromise(async () => undefined) } }),
 *   { input: { refreshMargin: 60_000 } },
 * ).start()
 * ```
 */
export function keywayMachine(): KeywayMachine {
  built ??= buildKeywayMachine()
  return built
}
