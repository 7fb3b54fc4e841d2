import * as client from 'openid-client'
import type { RemoteProvider } from '../remote-provider.js'
import { bareClient, bareCode, devKeyway } from '../session.js'
import { median, nextTurn, type SideMedians, timed } from '../stats.js'

/** Rounds run first and not counted, so that both sides run compiled code, not cold. */
const WARM_UP = 50

/**
 * One forced refresh through Keyway (machine, lock, store save) against a bare openid-client
 * `refreshTokenGrant`, interleaved on the same provider so both see the same load.
 */
export async function measureRefresh(dev: RemoteProvider, rounds: number): Promise<SideMedians> {
  const kw = devKeyway(dev)
  await kw.login()
  const config = await bareClient(dev)
  const { callbackUrl, checks } = await bareCode(config)
  let refreshToken = (await client.authorizationCodeGrant(config, callbackUrl, checks))
    .refresh_token!
  const keyway: number[] = []
  const bare: number[] = []
  for (let round = 0; round < rounds + WARM_UP; round++) {
    const k = await timed(() => kw.getTokens({ forceRefresh: true }))
    await nextTurn()
    const b = await timed(async () => {
      refreshToken = (await client.refreshTokenGrant(config, refreshToken)).refresh_token!
    })
    await nextTurn()
    if (round >= WARM_UP) {
      keyway.push(k)
      bare.push(b)
    }
  }
  kw.stop()
  return { keyway: median(keyway), bare: median(bare) }
}
