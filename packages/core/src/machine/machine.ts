import { configError, KeywayError, KeywayErrorCodes } from '../errors.js'
import type { Sealed } from '../sealed.js'
import type { TokenSet } from '../tokens.js'
import { hasRefreshToken } from '../tokens.js'
import { xstate } from '../xstate-runtime.js'
import { type RestorePlan, restorePlan } from './restore-plan.js'
import { delayUntil, planRefresh, planRetry } from './schedule.js'
import type {
  KeywayContext,
  KeywayEmitted,
  KeywayEvent,
  KeywayMachineInput,
  MachineClock,
  PendingLogin,
  RefreshInput,
  RefreshOutput,
} from './types.js'

/** Where `login.cancel` leads: back to the grant held before the login, or to `idle`. */
const cancelLogin = [
  { guard: 'hasTokens', target: 'authorized', actions: 'recordCancel' },
  { target: 'idle', actions: 'recordCancel' },
] as const

const systemClock: MachineClock = { now: () => Date.now(), random: () => Math.random() }

/** The refresh margin when the input names none, in ms. */
export const DEFAULT_REFRESH_MARGIN = 60_000

const notProvided = (name: string) => async (): Promise<never> => {
  throw configError(
    `The machine's ${name} actor was not provided: use createKeyway(), or provide keywayActors(options).`,
  )
}

/**
 * The error an actor failed with. Keyway's actors reject only with `KeywayError`s, each
 * classified where it arose; anything else came from an actor an app provided, and is kept
 * as the cause of an `invalid_response`.
 */
function asKeywayError(error: unknown): KeywayError {
  return error instanceof KeywayError
    ? error
    : new KeywayError(KeywayErrorCodes.invalidResponse, 'An actor failed unexpectedly.', {
        cause: error,
      })
}

/** What the `refresh` and `resave` actors are given: the grant held, as the context has it. */
const heldInput = (context: KeywayContext): RefreshInput => ({
  tokens: context.tokens!,
  unsaved: context.unsaved,
})

/** The error carried by an actor's error event. */
const failure = ({ event }: { event: { type: string } }) =>
  asKeywayError((event as { error?: unknown }).error)

/** Builds the machine; see {@link keywayMachine}. */
function buildKeywayMachine() {
  const { assign, emit, fromPromise, setup } = xstate()
  return setup({
    types: {
      context: {} as KeywayContext,
      events: {} as KeywayEvent,
      input: {} as KeywayMachineInput | undefined,
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
      refresh: fromPromise<RefreshOutput, RefreshInput>(notProvided('refresh')),
      /** Resolves when the store is reachable again after an outage; never fails. */
      storeBack: fromPromise<undefined>(notProvided('storeBack')),
      /** Saves tokens held unsaved (under the store's lock), without asking the provider. */
      resave: fromPromise<Sealed<TokenSet>, RefreshInput>(notProvided('resave')),
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
      recordError: assign({ error: failure, pending: undefined }),
      countFailure: assign({ refreshFailures: ({ context }) => context.refreshFailures + 1 }),
      /** Tokens that reached the store: held from now on, with the failures before cleared. */
      holdSavedTokens: assign((_, params: { tokens: Sealed<TokenSet> }) => ({
        tokens: params.tokens,
        unsaved: false,
        pending: undefined,
        error: undefined,
        refreshFailures: 0,
      })),
      recordCancel: assign({
        error: ({ context, event }) =>
          event.type === 'login.cancel' ? event.error : context.error,
        pending: undefined,
      }),
      forgetGrant: assign({ tokens: undefined, unsaved: false, refreshAt: undefined }),
      /** The grant cannot be renewed: what `loginRequired` reports, whatever came before. */
      recordNoRefreshToken: assign({
        error: () =>
          new KeywayError(
            KeywayErrorCodes.loginRequired,
            'The access token expired and the grant has no refresh token.',
          ),
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
      /** The tokens held never reached the store (their save failed). */
      hasUnsavedTokens: ({ context }) => context.unsaved,
      isRefreshDue: ({ context }) =>
        context.refreshAt !== undefined && context.refreshAt <= context.clock.now(),
      /** The grant held after restoring leads to `plan` (see `restorePlan`). */
      restoresTo: ({ context }, params: { plan: RestorePlan }) =>
        restorePlan(context.tokens?.unseal(), context.clock.now()) === params.plan,
      /** The refresh's tokens reached the store. */
      wasSaved: ({ event }) =>
        (event as { output?: RefreshOutput }).output?.saveError === undefined,
      /** The provider no longer honours the grant (`invalid_grant`, revoked). */
      isGrantGone: ({ event }) => failure({ event }).code === KeywayErrorCodes.loginRequired,
    },
    delays: {
      untilRefresh: ({ context }) => delayUntil(context.refreshAt, context.clock.now()),
    },
  }).createMachine({
    id: 'keyway',
    context: ({ input }) => ({
      tokens: input?.tokens,
      unsaved: false,
      pending: undefined,
      error: undefined,
      refreshAt: undefined,
      refreshFailures: 0,
      refreshMargin: input?.refreshMargin ?? DEFAULT_REFRESH_MARGIN,
      clock: input?.clock ?? systemClock,
    }),
    initial: 'restoring',
    states: {
      restoring: {
        invoke: {
          src: 'restore',
          onDone: { target: 'restored', actions: assign({ tokens: ({ event }) => event.output }) },
          onError: [
            // The store cannot be read, but tokens read before are held: keep them.
            { guard: 'hasTokens', target: 'restored', actions: ['recordError', 'emitError'] },
            { target: 'failed', actions: ['recordError', 'emitError'] },
          ],
        },
      },
      /** Decides, with `restorePlan`, where the grant just read leads. */
      restored: {
        always: [
          { guard: { type: 'restoresTo', params: { plan: 'authorized' } }, target: 'authorized' },
          { guard: { type: 'restoresTo', params: { plan: 'refreshing' } }, target: 'refreshing' },
          {
            guard: { type: 'restoresTo', params: { plan: 'loginRequired' } },
            target: 'loginRequired',
            actions: ['forgetGrant', 'recordNoRefreshToken'],
          },
          { target: 'idle' },
        ],
      },
      idle: {
        on: {
          login: { target: 'authorizing' },
          // Read the store again: another process (a CLI login) may have saved a grant since.
          'token.refresh': { target: 'restoring' },
        },
      },
      authorizing: {
        entry: assign({ error: undefined }),
        invoke: {
          src: 'authorize',
          onDone: {
            target: 'exchanging',
            actions: assign({ pending: ({ event }) => event.output }),
          },
          onError: [
            // A failed re-login keeps the grant held before it.
            { guard: 'hasTokens', target: 'authorized', actions: ['recordError', 'emitError'] },
            { target: 'failed', actions: ['recordError', 'emitError'] },
          ],
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
              { type: 'holdSavedTokens', params: ({ event }) => ({ tokens: event.output }) },
              'emitTokens',
            ],
          },
          onError: [
            { guard: 'hasTokens', target: 'authorized', actions: ['recordError', 'emitError'] },
            { target: 'failed', actions: ['recordError', 'emitError'] },
          ],
        },
        on: { 'login.cancel': cancelLogin },
      },
      authorized: {
        initial: 'waiting',
        states: {
          /** Waiting for the planned refresh time. */
          waiting: {
            // Tokens whose save failed are saved first, not at expiry.
            always: { guard: 'hasUnsavedTokens', target: 'unsaved' },
            entry: 'planRefresh',
            after: {
              untilRefresh: [
                { guard: 'isRefreshDue', target: '#keyway.refreshing' },
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
          /**
           * Holding tokens the store did not take (it was down): their refresh token is the
           * live one, so they are saved as soon as the store is back, or after a backoff.
           */
          unsaved: {
            entry: 'planRetry',
            invoke: { src: 'storeBack', onDone: { target: 'saving' } },
            after: { untilRefresh: { target: 'saving' } },
          },
          /** Saving the held tokens, without a refresh; a newer stored record is taken instead. */
          saving: {
            invoke: {
              src: 'resave',
              input: ({ context }) => heldInput(context),
              onDone: {
                target: 'waiting',
                actions: [
                  { type: 'holdSavedTokens', params: ({ event }) => ({ tokens: event.output }) },
                  'emitTokens',
                ],
              },
              onError: [
                {
                  // The stored grant was removed: a logout in another process.
                  guard: 'isGrantGone',
                  target: '#keyway.loginRequired',
                  actions: ['recordError', 'forgetGrant'],
                },
                { target: 'unsaved', actions: ['recordError', 'countFailure', 'emitError'] },
              ],
            },
          },
        },
        on: {
          'token.refresh': [
            { guard: 'hasRefreshToken', target: 'refreshing' },
            { target: 'loginRequired', actions: ['forgetGrant', 'recordNoRefreshToken'] },
          ],
          login: { target: 'authorizing' },
          logout: { target: 'loggingOut' },
        },
      },
      refreshing: {
        invoke: {
          src: 'refresh',
          input: ({ context }) => heldInput(context),
          onDone: [
            {
              guard: 'wasSaved',
              target: 'authorized',
              actions: [
                {
                  type: 'holdSavedTokens',
                  params: ({ event }) => ({ tokens: event.output.tokens }),
                },
                'emitTokens',
              ],
            },
            {
              // New tokens the store did not take: hold them, and save them when it is back.
              target: 'authorized.unsaved',
              actions: [
                assign({
                  tokens: ({ event }) => event.output.tokens,
                  unsaved: true,
                  error: ({ event }) => event.output.saveError,
                }),
                'countFailure',
                'emitError',
              ],
            },
          ],
          onError: [
            {
              guard: 'isGrantGone',
              target: 'loginRequired',
              actions: ['recordError', 'forgetGrant'],
            },
            {
              // Tokens held unsaved still wait for the store, whatever else failed.
              guard: 'hasUnsavedTokens',
              target: 'authorized.unsaved',
              actions: ['recordError', 'countFailure', 'emitError'],
            },
            {
              target: 'authorized.retrying',
              actions: ['recordError', 'countFailure', 'emitError'],
            },
          ],
        },
        on: { logout: { target: 'loggingOut' } },
      },
      loginRequired: {
        entry: 'emitLoginRequired',
        on: {
          login: { target: 'authorizing' },
          'token.refresh': { target: 'restoring' },
          logout: { target: 'loggingOut' },
        },
      },
      failed: {
        on: {
          login: { target: 'authorizing' },
          'token.refresh': { target: 'restoring' },
          logout: { target: 'loggingOut' },
        },
      },
      loggingOut: {
        invoke: {
          src: 'logout',
          input: ({ context }) => context.tokens,
          onDone: {
            target: 'idle',
            actions: ['forgetGrant', assign({ error: undefined })],
          },
          onError: {
            target: 'failed',
            actions: ['forgetGrant', 'recordError', 'emitError'],
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
 * ⇄ `refreshing`, with `loginRequired`, `failed` and `loggingOut`. It holds the whole token
 * lifecycle: `createKeyway()` is a thin facade over one actor of it, and an app may run it
 * as a child of its own machine with the same behaviour.
 *
 * Its actors (`restore`, `authorize`, `exchange`, `refresh`, `storeBack`, `resave`, `logout`)
 * are given with `.provide({ actors: keywayActors(options) })`; tests swap them the same way.
 * Its input is optional: `{ refreshMargin, clock }`.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate'
 * import { keywayActors, keywayMachine, memoryStore } from '@keyway/core'
 * const actor = createActor(
 *   keywayMachine().provide({
 *     actors: keywayActors({ issuer: 'https://accounts.example.com', clientId: 'my-cli', store: memoryStore() }),
 *   }),
 * ).start()
 * ```
 */
export function keywayMachine(): KeywayMachine {
  built ??= buildKeywayMachine()
  return built
}
