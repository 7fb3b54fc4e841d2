import * as imitations from '@keyway/testing/imitations'
import { onTestFinished } from 'vitest'

/** `start`, with the imitation it starts closed (with its sockets) when the test ends. */
function closedAfterTest<Args extends unknown[], Started extends imitations.Imitation>(
  start: (...args: Args) => Promise<Started>,
): (...args: Args) => Promise<Started> {
  return async (...args) => {
    const imitation = await start(...args)
    onTestFinished(() => imitation.close())
    return imitation
  }
}

export const startGitHub = closedAfterTest(imitations.startGitHub)
export const startImitation = closedAfterTest(imitations.startImitation)
export const startSpotify = closedAfterTest(imitations.startSpotify)
