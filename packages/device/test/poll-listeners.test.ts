import { getEventListeners } from 'node:events'
import { PassThrough } from 'node:stream'
import { createKeyway, type DeviceAuthorization, type Fetch } from '@keyway/core'
import { device } from '@keyway/device'
import { ScriptedBrowser, startDevProvider } from '@keyway/testing'
import { expect, it, onTestFinished, vi } from 'vitest'

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code'
/** Polls before the person approves: well past Node's warning at 11 listeners on one signal. */
const POLLS_BEFORE_APPROVAL = 50

/**
 * Every signal that is given an `abort` listener while `run` is running, found by watching
 * `EventTarget.prototype.addEventListener` (the listener is still added): the operation's
 * signal is built inside Keyway, out of a test's reach.
 */
function watchAbortListeners() {
  const signals = new Set<AbortSignal>()
  const add = EventTarget.prototype.addEventListener
  const spy = vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (
    this: EventTarget,
    type,
    listener,
    options,
  ) {
    if (type === 'abort' && this instanceof AbortSignal) signals.add(this)
    add.call(this, type, listener, options)
  })
  onTestFinished(() => spy.mockRestore())
  /** The most `abort` listeners any one watched signal holds now. */
  const most = () => Math.max(0, ...[...signals].map((s) => getEventListeners(s, 'abort').length))
  return { signals, most }
}

/** Warnings the process emits while the test runs. */
function collectWarnings(): Error[] {
  const warnings: Error[] = []
  const collect = (warning: Error) => warnings.push(warning)
  process.on('warning', collect)
  onTestFinished(() => {
    process.off('warning', collect)
  })
  return warnings
}

it('polls the device grant 50 times without piling abort listeners on any signal', async () => {
  const dev = await startDevProvider({ deviceInterval: 20 })
  onTestFinished(() => dev.close())
  const warnings = collectWarnings()
  const watched = watchAbortListeners()
  const mostPerPoll: number[] = []
  let shown: DeviceAuthorization | undefined
  let approval: Promise<unknown> | undefined
  // Passes every request on to the real fetch; at each poll it notes the most listeners any
  // signal holds (the poll's own are attached by then) and approves after the 50th.
  const observing: Fetch = (input, init) => {
    if (new URLSearchParams(String(init?.body ?? '')).get('grant_type') === deviceGrant) {
      mostPerPoll.push(watched.most())
      if (mostPerPoll.length === POLLS_BEFORE_APPROVAL && shown !== undefined) {
        approval = new ScriptedBrowser().confirmDevice(shown.verificationUriComplete!)
      }
    }
    return fetch(input, init)
  }
  const kw = createKeyway({
    issuer: dev.issuer,
    clientId: dev.clients.native.clientId,
    scopes: ['openid', 'offline_access'],
    fetch: observing,
    transport: device({
      output: new PassThrough(),
      show: (authorization) => (shown = authorization),
    }),
  })
  onTestFinished(() => kw.stop())
  const login = new AbortController()

  await expect(kw.login({ signal: login.signal })).resolves.toMatchObject({
    accessToken: expect.any(String),
  })
  await expect(approval).resolves.toMatchObject({ approved: true })
  await new Promise((resolve) => setImmediate(resolve))

  expect(mostPerPoll.length).toBeGreaterThanOrEqual(POLLS_BEFORE_APPROVAL)
  expect(dev.counters.grantErrors[`${deviceGrant}:authorization_pending`]).toBeGreaterThanOrEqual(
    POLLS_BEFORE_APPROVAL - 1,
  )
  // The operation's signal holds one listener for the operation and one for the request in
  // flight; a listener left behind by each poll would make it 50.
  expect(Math.max(...mostPerPoll)).toBeLessThanOrEqual(3)
  expect(getEventListeners(login.signal, 'abort')).toHaveLength(0)
  expect(watched.most()).toBeLessThanOrEqual(1)
  expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([])
  process.stdout.write(
    `abort listeners on one signal over ${mostPerPoll.length} polls: ` +
      `first ${mostPerPoll[0]}, most ${Math.max(...mostPerPoll)}; after the login ${watched.most()}\n`,
  )
})
