import type { TokenSet } from '../tokens.js'
import type { KeywayEvents, KeywayState } from './types.js'

type Listener<T> = (value: T) => void

/** Runs `listener`; its own failure must not break the login or the refresh that told it. */
function tell<T>(listener: Listener<T>, value: T): void {
  try {
    listener(value)
  } catch {
    // The app's listener failed: nothing Keyway can do about it, nothing it must stop for.
  }
}

/**
 * The app's listeners: `kw.on(event)` and `kw.subscribe()`. New tokens are announced once,
 * whether the facade hands them over first or the machine's own `tokens` event comes first.
 */
export class KeywayListeners {
  readonly #events: { readonly [K in keyof KeywayEvents]: Set<Listener<KeywayEvents[K]>> } = {
    tokens: new Set(),
    loginRequired: new Set(),
    error: new Set(),
  }
  readonly #states = new Set<Listener<KeywayState>>()
  /** Tokens announced on hand-over, whose `tokens` event from the machine is not news. */
  #announced: TokenSet | undefined

  on<K extends keyof KeywayEvents>(event: K, listener: Listener<KeywayEvents[K]>): () => void {
    const listeners = this.#events[event] as Set<Listener<KeywayEvents[K]>>
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  emit<K extends keyof KeywayEvents>(event: K, value: KeywayEvents[K]): void {
    for (const listener of this.#events[event] as Set<Listener<KeywayEvents[K]>>) {
      tell(listener, value)
    }
  }

  subscribe(listener: Listener<KeywayState>): { unsubscribe(): void } {
    this.#states.add(listener)
    return {
      unsubscribe: () => {
        this.#states.delete(listener)
      },
    }
  }

  /** Tells state subscribers of a new state. */
  stateChanged(state: KeywayState): void {
    for (const listener of this.#states) tell(listener, state)
  }

  /** Announces tokens handed over ahead of the machine. */
  announce(tokens: TokenSet): void {
    this.#announced = tokens
    this.emit('tokens', tokens)
  }

  /** The machine's `tokens` event: announced unless these tokens already were. */
  machineSaved(tokens: TokenSet): void {
    if (tokens === this.#announced) this.#announced = undefined
    else this.emit('tokens', tokens)
  }
}
