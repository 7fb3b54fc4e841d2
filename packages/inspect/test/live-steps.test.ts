import { type DevProvider, startDevProvider } from '@keyway/testing'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { StepMessage } from '../src/shared/messages.js'
import { StreamReader, topStates } from './support/event-stream.js'
import { secretsIn, watchedKeyway } from './support/watched-login.js'

describe('the live stream of a login and a refresh', () => {
  let dev: DevProvider
  beforeAll(async () => {
    dev = await startDevProvider()
  })
  afterAll(() => dev?.close())

  it('carries every step in order, names and redacted JSON only, and no token', async () => {
    const watched = watchedKeyway(dev)
    onTestFinished(() => watched.stop())
    const url = await watched.inspector.url
    const stream = new StreamReader(new URL('events', url))
    onTestFinished(() => stream.stop())
    expect(await watched.kw.ready()).toBe('idle')
    await watched.kw.login()
    await watched.kw.getTokens({ forceRefresh: true })
    await stream.until((messages) => topStates(messages).length >= 7)

    const [machine] = stream.messages
    expect(machine).toMatchObject({ kind: 'machine', id: 'keyway' })
    expect(topStates(stream.messages)).toEqual([
      'restoring',
      'idle',
      'authorizing',
      'exchanging',
      'authorized',
      'refreshing',
      'authorized',
    ])
    const steps = stream.messages.filter((m): m is StepMessage => m.kind === 'step')
    expect(steps.map((step) => step.event)).toContain('token.refresh')
    const exchanged = steps.find((step) => step.event.startsWith('xstate.done.actor.'))
    expect(exchanged).toBeDefined()
    const last = steps.at(-1)!
    expect(last.active).toEqual(['authorized', 'authorized.waiting'])
    expect(JSON.parse(last.context)).toMatchObject({
      tokens: { tokenType: 'Bearer', hasRefreshToken: true },
    })
    // Both logins' and the refresh's tokens were seen, and none reached the stream.
    expect(watched.secrets.length).toBeGreaterThanOrEqual(4)
    expect(secretsIn(stream.text, watched.secrets)).toBe(0)
    expect(secretsIn(watched.output.lines.join('\n'), watched.secrets)).toBe(0)
    // The page's address came first, before the authorization URL.
    expect(watched.output.urlLines).toEqual([url.href, expect.stringMatching(/\/auth\?/)])
  })
})
