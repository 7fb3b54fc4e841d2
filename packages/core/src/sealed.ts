import { inspect } from 'node:util'

const REDACTED = '[redacted]'

/**
 * A box for a value that must not leak: tokens, authorization codes, PKCE verifiers.
 *
 * The machine's context and events carry secrets only inside a `Sealed`, so whatever
 * serializes them (the xstate inspector, `JSON.stringify`, `console.log`, a snapshot test)
 * sees the summary, never the value. Code that needs the value calls {@link Sealed.unseal}.
 *
 * @example
 * ```ts
 * const code = new Sealed('SplxlOBeZQQYbYS6WxSbIA')
 * JSON.stringify({ code }) // '{"code":"[redacted]"}'
 * code.unseal()            // 'SplxlOBeZQQYbYS6WxSbIA'
 * ```
 */
export class Sealed<T> {
  readonly #value: T
  readonly #describe: (value: T) => unknown

  constructor(value: T, describe: (value: T) => unknown = () => REDACTED) {
    this.#value = value
    this.#describe = describe
  }

  /** The secret value itself. */
  unseal(): T {
    return this.#value
  }

  /** What serializers see: a redacted description. */
  toJSON(): unknown {
    return this.#describe(this.#value)
  }

  /** What string conversion sees. */
  toString(): string {
    return REDACTED
  }

  /** What `console.log` and `util.inspect` see. */
  [inspect.custom](): unknown {
    return this.toJSON()
  }
}
