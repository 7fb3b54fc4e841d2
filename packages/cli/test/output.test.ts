import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { formatToken } from '../src/commands/token-output.js'
import { deviceInstructions } from '../src/transport/device-display.js'
import { loadQrDrawer } from '../src/transport/qr-code.js'
import { styleFor } from '../src/ui/style.js'
import { expiryPhrase, humanDuration } from '../src/ui/time.js'

const now = Date.parse('2026-01-01T12:00:00Z')
const tokens = { accessToken: "it's", tokenType: 'bearer', expiresAt: now + 3_600_000 }

describe('token output', () => {
  it('prints each format on stdout as documented', () => {
    expect(formatToken('plain', tokens, ['openid'], now)).toBe("it's\n")
    expect(formatToken('header', tokens, ['openid'], now)).toBe("Authorization: Bearer it's\n")
    expect(formatToken('env', tokens, ['openid', 'email'], now)).toBe(
      "export KEYWAY_ACCESS_TOKEN='it'\\''s'\nexport KEYWAY_TOKEN_TYPE=Bearer\n" +
        "export KEYWAY_TOKEN_SCOPES='openid email'\nexport KEYWAY_TOKEN_EXPIRES_AT=2026-01-01T13:00:00Z\n",
    )
    expect(JSON.parse(formatToken('json', { ...tokens, scope: 'a b' }, ['openid'], now))).toEqual({
      accessToken: "it's",
      tokenType: 'Bearer',
      expiresAt: '2026-01-01T13:00:00Z',
      expiresIn: 3600,
      scopes: ['a', 'b'],
    })
  })
})

describe('times for people', () => {
  it('says durations in their largest whole unit', () => {
    expect([59_000, 60_000, 119_000, 3_599_000, 7_200_000, 172_800_000].map(humanDuration)).toEqual(
      ['59 seconds', '60 seconds', '119 seconds', '60 minutes', '2 hours', '2 days'],
    )
    expect(expiryPhrase(now - 180_000, now)).toBe('3 minutes ago (2026-01-01T11:57:00Z)')
    expect(expiryPhrase(undefined, now)).toBe('no expiry given')
  })
})

describe('colors', () => {
  const terminal = Object.assign(new PassThrough(), { isTTY: true })

  it('are used on a terminal only, and never with NO_COLOR', () => {
    expect(styleFor(terminal, {}).red('x')).toBe('\u001b[31mx\u001b[39m')
    expect(styleFor(terminal, { NO_COLOR: '1' }).red('x')).toBe('x')
    expect(styleFor(terminal, { TERM: 'dumb' }).red('x')).toBe('x')
    expect(styleFor(new PassThrough(), {}).red('x')).toBe('x')
  })
})

describe('the device flow on a terminal', () => {
  const authorization = {
    userCode: 'WDJB-MJHT',
    verificationUri: 'https://id.example/device',
    verificationUriComplete: 'https://id.example/device?user_code=WDJB-MJHT',
    expiresAt: now + 600_000,
    interval: 5_000,
  }

  it('shows the code first, then the addresses, then the QR code of the complete one', async () => {
    const qr = (await loadQrDrawer())(authorization.verificationUriComplete) ?? ''
    expect(qr.split('\n').length).toBeGreaterThan(10)
    expect(qr).toMatch(/^[ ▀▄█\n]+$/)
    const text = deviceInstructions(authorization, {
      style: styleFor(new PassThrough(), {}),
      qr,
      now,
    })
    expect(text).toBe(
      '\nYour code: WDJB-MJHT\n\nEnter it at this address, on this machine or any other:\n' +
        'https://id.example/device\n\nOr open this address, which carries the code:\n' +
        `https://id.example/device?user_code=WDJB-MJHT\n\nor scan it:\n${qr.trimEnd()}\n\n` +
        'The code expires in 10 minutes.\n',
    )
  })
})
