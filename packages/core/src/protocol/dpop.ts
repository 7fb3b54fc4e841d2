import type * as Oidc from 'openid-client'
import { createDPoPKey, type DPoPKeyJwk, dpopKeyPair } from '../dpop/key.js'
import type { LoadedProtocol } from './loaded-protocol.js'

/** openid-client's DPoP handles (they keep the server's nonce) by configuration and key. */
const handles = new WeakMap<Oidc.Configuration, WeakMap<DPoPKeyJwk, Oidc.DPoPHandle>>()

/**
 * The option that makes openid-client prove possession of `key` on a token request; it
 * answers a `use_dpop_nonce` challenge once by itself. `undefined` for no key.
 */
export async function dpopOptions(
  loaded: LoadedProtocol,
  key: DPoPKeyJwk | undefined,
): Promise<Oidc.DPoPOptions | undefined> {
  if (key === undefined) return undefined
  const { oidc, config } = loaded
  let byKey = handles.get(config)
  if (byKey === undefined) {
    byKey = new WeakMap()
    handles.set(config, byKey)
  }
  let handle = byKey.get(key)
  if (handle === undefined) {
    handle = oidc.getDPoPHandle(config, await dpopKeyPair(key))
    byKey.set(key, handle)
  }
  return { DPoP: handle }
}

/**
 * A key for a new grant (a login with `dpop` on), and the option that proves possession of
 * it on the request that makes the grant.
 */
export async function newGrantKey(
  loaded: LoadedProtocol,
): Promise<{ readonly key: DPoPKeyJwk; readonly options: Oidc.DPoPOptions | undefined }> {
  const key = await createDPoPKey()
  return { key, options: await dpopOptions(loaded, key) }
}
