import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { toTokenSet } from '../codecs/token-response.js'
import type { DPoPKeyJwk } from '../dpop/key.js'
import type { Callback, DeviceGrantProtocol } from '../ports/transport.js'
import type { TokenSet } from '../tokens.js'
import {
  type AuthorizationAttempt,
  beginAuthorization,
  checkedCode,
  exchangeCode,
} from './authorization.js'
import { loadConfiguration } from './configuration.js'
import { deviceCodeExpiry, pollDeviceGrant, startDeviceAuthorization } from './device.js'
import { newGrantKey } from './dpop.js'
import { type ProtocolStep, toProtocolError } from './errors.js'
import { protocolFetch } from './fetch.js'
import type { LoadedProtocol } from './loaded-protocol.js'
import { requestRefresh, revokeTokens } from './refresh.js'
import { RequestScopes } from './request-scope.js'
import { withRetry } from './retry.js'
import type { ProtocolSettings } from './settings.js'

/**
 * The OAuth protocol for one client, on openid-client. openid-client is imported, and the
 * provider's metadata discovered, on the first request that needs them, so a program that
 * only reads a valid stored token never loads them.
 */
export class Protocol {
  readonly settings: ProtocolSettings
  readonly #scopes = new RequestScopes()
  #loading: Promise<LoadedProtocol> | undefined

  constructor(settings: ProtocolSettings) {
    this.settings = {
      ...settings,
      fetch: protocolFetch(settings.fetch, settings.clock, this.#scopes, {
        timeout: settings.requestTimeout,
        maxResponseBytes: settings.maxResponseBytes,
      }),
    }
  }

  /** Loads openid-client and the provider's metadata once; a failed load is retried next time. */
  load(signal?: AbortSignal): Promise<LoadedProtocol> {
    if (this.#loading === undefined) {
      // Discovery is an idempotent GET: a reset or a 5xx on it is retried like a refresh.
      this.#loading = withRetry(
        () => this.#run('discovery', signal, () => loadConfiguration(this.settings)),
        {
          policy: this.settings.retry,
          random: this.settings.random,
          toError: (error) => toProtocolError('discovery', error, signal),
          ...(signal ? { signal } : {}),
        },
      )
      this.#loading.catch(() => {
        this.#loading = undefined
      })
    }
    return this.#loading
  }

  /** Builds the authorization request for one attempt: fresh state and PKCE verifier. */
  async beginAuthorization(
    redirectUri: string,
    signal?: AbortSignal,
  ): Promise<AuthorizationAttempt> {
    const loaded = await this.load(signal)
    return this.#run('exchange', signal, () => beginAuthorization(loaded, redirectUri))
  }

  /**
   * Refuses an answer whose state, error or iss is wrong, so a bad callback fails the login
   * before anything is exchanged; returns the code to redeem.
   */
  checkedCode(attempt: AuthorizationAttempt, callback: Callback): string {
    return checkedCode(attempt, callback)
  }

  /**
   * Redeems the checked `code` (once), checking the ID token. With `dpop` on, a new key is
   * made for the grant and the exchange proves possession of it.
   */
  async exchange(
    attempt: AuthorizationAttempt,
    callback: Callback,
    code: string,
    signal?: AbortSignal,
  ): Promise<TokenSet> {
    const loaded = await this.load(signal)
    const bound = this.settings.dpop ? await newGrantKey(loaded) : undefined
    return this.#tokenRequest(
      'exchange',
      signal,
      () => exchangeCode(loaded, attempt, callback, code, bound?.options),
      undefined,
      bound?.key,
    )
  }

  /**
   * Trades the refresh token for new tokens, retrying network failures, 5xx and 429 with
   * backoff. A response without a refresh token keeps the old one.
   */
  async refresh(tokens: TokenSet, signal?: AbortSignal): Promise<TokenSet> {
    const loaded = await this.load(signal)
    return withRetry(
      () =>
        this.#tokenRequest(
          'refresh',
          signal,
          () => requestRefresh(loaded, tokens),
          tokens,
          tokens.dpopKey,
        ),
      {
        policy: this.settings.retry,
        random: this.settings.random,
        toError: (error) => toProtocolError('refresh', error, signal),
        ...(signal ? { signal } : {}),
      },
    )
  }

  /** Revokes the grant where the provider allows it; false when it has no revocation endpoint. */
  async revoke(tokens: TokenSet, signal?: AbortSignal): Promise<boolean> {
    const loaded = await this.load(signal)
    return this.#run('revoke', signal, () => revokeTokens(loaded, tokens))
  }

  /** The device grant's steps (RFC 8628), for a token transport. */
  device(): DeviceGrantProtocol {
    return {
      start: async (signal) => {
        const loaded = await this.load(signal)
        return this.#run('device', signal, () => startDeviceAuthorization(loaded))
      },
      poll: async (authorization, signal) => {
        const loaded = await this.load(signal)
        // The expiry aborts with its own `timeout`, which the error mapping then keeps.
        const expiry = deviceCodeExpiry(authorization, this.settings.clock())
        const polling = AbortSignal.any([signal, expiry.signal])
        try {
          const bound = this.settings.dpop ? await newGrantKey(loaded) : undefined
          return await this.#tokenRequest(
            'device',
            polling,
            () => pollDeviceGrant(loaded, authorization, polling, bound?.options),
            undefined,
            bound?.key,
          )
        } finally {
          expiry.cancel()
        }
      },
    }
  }

  async #scoped<T>(step: ProtocolStep, signal: AbortSignal | undefined, run: () => Promise<T>) {
    try {
      return await this.#scopes.run(signal, run)
    } catch (error) {
      throw toProtocolError(step, error, signal)
    }
  }

  async #run<T>(step: ProtocolStep, signal: AbortSignal | undefined, run: () => Promise<T>) {
    return (await this.#scoped(step, signal, run)).result
  }

  /**
   * Runs a token request; the tokens' expiry counts from when the request was sent. `key` is
   * the DPoP key the request proved possession of, kept with the tokens it bound.
   */
  async #tokenRequest(
    step: ProtocolStep,
    signal: AbortSignal | undefined,
    run: () => Promise<unknown>,
    previous?: TokenSet,
    key?: DPoPKeyJwk,
  ): Promise<TokenSet> {
    const started = this.settings.clock()
    const { result, sentAt } = await this.#scoped(step, signal, run)
    return pipe(
      toTokenSet(result, sentAt ?? started, previous, key),
      E.getOrElseW((error) => {
        throw error
      }),
    )
  }
}
