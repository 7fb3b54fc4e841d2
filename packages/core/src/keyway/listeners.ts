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
 * The app's listeners: `kw.on(event)` for the machine's emitted events, and `kw.subscribe()`
 * for changes of the top-level state.
 */
export class KeywayListeners {
  readonly #events: { readonly [K in keyof KeywayEvents]: Set<Listener<KeywayEvents[K]>> } = {
    tokens: new Set(),
    loginRequired: new Set(),
    error: new Set(),
  }
  readonly #states = new Set<Listener<KeywayState>>()
  /** The state last told, so that a snapshot within the same state is not news. */
  #told: KeywayState | undefined

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

  /** Tells state subscribers of `state`, when it is not the one they were told last. */
  stateChanged(state: KeywayState): void {
    if (state === this.#told) return
    this.#told = state
    for (const listener of this.#states) tell(listener, state)
  }
}
