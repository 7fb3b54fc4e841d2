import * as client from 'openid-client'
import type { RemoteProvider } from '../remote-provider.js'
import { bareClient, bareCode, devKeyway } from '../session.js'
import { median, nextTurn, type SideMedians } from '../stats.js'

/** Rounds run first and not counted, so that both sides run compiled code, not cold. */
const WARM_UP = 3

/**
 * The exchange-and-save phase of a Keyway login (from entering `exchanging` to `authorized`:
 * token request, ID token checks, store save) against a bare `authorizationCodeGrant`; both
 * medians, in ms.
 */
export async function measureExchange(dev: RemoteProvider, rounds: number): Promise<SideMedians> {
  const config = await bareClient(dev)
  const keyway: number[] = []
  const bare: number[] = []
  for (let round = 0; round < rounds + WARM_UP; round++) {
    const kw = devKeyway(dev)
    let enteredAt = 0
    let phase = 0
    kw.subscribe((state) => {
      if (state === 'exchanging') enteredAt = performance.now()
      if (state === 'authorized' && enteredAt > 0 && phase === 0)
        phase = performance.now() - enteredAt
    })
    await kw.login()
    await kw.stop()
    const { callbackUrl, checks } = await bareCode(config)
    await nextTurn()
    const start = performance.now()
    await client.authorizationCodeGrant(config, callbackUrl, checks)
    const baseline = performance.now() - start
    if (round >= WARM_UP) {
      keyway.push(phase)
      bare.push(baseline)
    }
  }
  return { keyway: median(keyway), bare: median(bare) }
}
