import type { Adapter, AdapterPayload } from 'oidc-provider'

const EXPIRED_GRACE_SECONDS = 60

interface Entry {
  readonly payload: AdapterPayload
  readonly expiresAt: number | undefined
}

/**
 * The dev provider's storage: plain maps, one set per provider instance, so tests can start
 * several providers in one process and revoke every grant of one at will.
 */
export class DevStorage {
  readonly #entries = new Map<string, Entry>()

  /** The adapter class oidc-provider instantiates per model. */
  adapterFor(): new (model: string) => Adapter {
    const storage = this
    return class DevAdapter implements Adapter {
      readonly #model: string
      constructor(model: string) {
        this.#model = model
      }
      async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
        storage.set(`${this.#model}:${id}`, payload, expiresIn)
      }
      async find(id: string) {
        return storage.get(`${this.#model}:${id}`)
      }
      async findByUserCode(userCode: string) {
        return storage.findBy(this.#model, (payload) => payload.userCode === userCode)
      }
      async findByUid(uid: string) {
        return storage.findBy(this.#model, (payload) => payload.uid === uid)
      }
      async consume(id: string) {
        const key = `${this.#model}:${id}`
        const payload = storage.get(key)
        if (payload) payload.consumed = Math.floor(Date.now() / 1000)
      }
      async destroy(id: string) {
        storage.delete(`${this.#model}:${id}`)
      }
      async revokeByGrantId(grantId: string) {
        storage.revokeGrant(grantId)
      }
    }
  }

  set(key: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    // Kept a while past their expiry, as oidc-provider's own adapter does, so that the
    // provider itself says `expired_token` rather than finding nothing.
    const expiresAt = expiresIn
      ? Date.now() + (expiresIn + EXPIRED_GRACE_SECONDS) * 1000
      : undefined
    this.#entries.set(key, { payload, expiresAt })
  }

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.payload
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  findBy(model: string, match: (payload: AdapterPayload) => boolean): AdapterPayload | undefined {
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(`${model}:`) && match(entry.payload)) return this.get(key)
    }
    return undefined
  }

  /** Removes every artifact (tokens, codes, the grant itself) of one grant. */
  revokeGrant(grantId: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.payload.grantId === grantId || key === `Grant:${grantId}`) {
        this.#entries.delete(key)
      }
    }
  }

  /** The ids of every grant that still exists. */
  grantIds(): string[] {
    const ids = new Set<string>()
    for (const [key] of this.#entries) {
      if (key.startsWith('Grant:') && this.get(key) !== undefined) ids.add(key.slice(6))
    }
    return [...ids]
  }
}
