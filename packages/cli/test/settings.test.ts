import { KeywayErrorCodes } from '@keyway/core'
import { getProvider } from '@keyway/providers'
import { describe, expect, it } from 'vitest'
import { parseProfile, type SavedProfile } from '../src/config/profile.js'
import { profileToSave } from '../src/config/profile-to-save.js'
import { givenDpop } from '../src/config/setting-options.js'
import { type GivenSettings, resolveSettings } from '../src/config/settings.js'
import type { Sourced } from '../src/config/source.js'

const file = '/home/someone/.config/keyway/config.json'
const profile: Sourced<string> = { value: 'work', source: { kind: 'flag', flag: '--profile' } }
const flag = (value: string, name: string): Sourced<string> => ({
  value,
  source: { kind: 'flag', flag: name },
})
const env = (value: string, variable: string): Sourced<string> => ({
  value,
  source: { kind: 'env', variable },
})
const fromProfile = { kind: 'profile', profile: 'work', file } as const

function resolve(given: GivenSettings, saved?: SavedProfile) {
  return resolveSettings({ given, profile, saved, file })
}

describe('settings precedence: flag > KEYWAY_* > profile > default', () => {
  const saved: SavedProfile = {
    provider: 'generic',
    issuer: 'https://id.example',
    clientId: 'saved',
    store: 'file',
  }

  it('takes a flag over everything, and the profile over the default', () => {
    const settings = resolve({ clientId: flag('from-flag', '--client-id') }, saved)
    expect(settings.clientId).toEqual(flag('from-flag', '--client-id'))
    expect(settings.issuer).toEqual({ value: 'https://id.example', source: fromProfile })
    expect(settings.store).toEqual({ value: { kind: 'file' }, source: fromProfile })
    expect(settings.scopes).toEqual({
      value: ['openid', 'offline_access'],
      source: { kind: 'default', detail: "the generic preset's" },
    })
  })

  it('takes a variable over the profile', () => {
    const settings = resolve({ store: env('redis://127.0.0.1:6379', 'KEYWAY_STORE') }, saved)
    expect(settings.store).toEqual({
      value: { kind: 'redis', url: 'redis://127.0.0.1:6379' },
      source: { kind: 'env', variable: 'KEYWAY_STORE' },
    })
  })

  it('lets the store be chosen where it runs (auto) unless told otherwise', () => {
    const settings = resolve({
      issuer: flag('https://id.example', '--issuer'),
      clientId: flag('c', '--client-id'),
    })
    expect(settings.store.value).toEqual({ kind: 'auto' })
    expect(settings.provider).toEqual({
      value: 'generic',
      source: { kind: 'default', detail: 'an issuer was given' },
    })
  })

  it('takes the provider and the issuer together from the first place that names either', () => {
    const settings = resolve({ provider: flag('spotify', '--provider') }, saved)
    expect(settings.provider.value).toBe('spotify')
    expect(settings.issuer).toBeUndefined()
    expect(settings.scopes).toEqual({
      value: getProvider('spotify').defaultScopes,
      source: { kind: 'default', detail: "the spotify preset's" },
    })
  })

  it('splits --scope on white space', () => {
    const settings = resolve({ scope: flag(' openid  email\tprofile ', '--scope') }, saved)
    expect(settings.scopes.value).toEqual(['openid', 'email', 'profile'])
  })

  it('refuses what cannot work, as config errors', () => {
    expect(() => resolve({ provider: flag('nope', '--provider') }, saved)).toThrow(
      /no provider preset called "nope"/,
    )
    expect(() =>
      resolve({ provider: flag('generic', '--provider'), clientId: flag('c', '--client-id') }),
    ).toThrow('The generic provider needs an issuer')
    expect(() => resolve({ store: flag('s3://bucket', '--store') }, saved)).toThrow('Unknown store')
    expect(() => resolve({ port: flag('80a', '--port') }, saved)).toThrow('is not a whole number')
    expect(() => resolve({ issuer: flag('https://id.example', '--issuer') })).toThrow(
      'No client id',
    )
  })

  it('calls for a login when there is no profile and nothing was given', () => {
    expect(() => resolve({})).toThrow(
      expect.objectContaining({ code: KeywayErrorCodes.loginRequired }),
    )
  })
})

describe('what login saves', () => {
  it('saves chosen values, and a client secret only when it did not come from the environment', () => {
    const given = {
      issuer: flag('https://id.example', '--issuer'),
      clientId: flag('cli', '--client-id'),
      clientSecret: env('s3cret', 'KEYWAY_CLIENT_SECRET'),
      store: flag('file', '--store'),
    }
    expect(profileToSave(resolve(given))).toEqual({
      provider: 'generic',
      issuer: 'https://id.example',
      clientId: 'cli',
      store: 'file',
    })
    const withFlag = { ...given, clientSecret: flag('s3cret', '--client-secret') }
    expect(profileToSave(resolve(withFlag)).clientSecret).toBe('s3cret')
  })

  it('saves DPoP when on, from any source, and leaves it out when off', () => {
    const given = {
      issuer: flag('https://id.example', '--issuer'),
      clientId: flag('cli', '--client-id'),
    }
    const on = givenDpop(undefined, '1')
    expect(profileToSave(resolve({ ...given, dpop: on! })).dpop).toBe(true)
    const saved: SavedProfile = {
      provider: 'generic',
      issuer: 'https://id.example',
      clientId: 'cli',
      dpop: true,
    }
    expect(profileToSave(resolve({}, saved)).dpop).toBe(true)
    const off = givenDpop(false, '1')
    expect(off).toEqual({ value: false, source: { kind: 'flag', flag: '--no-dpop' } })
    expect(profileToSave(resolve({ dpop: off! }, saved))).not.toHaveProperty('dpop')
  })
})

describe('the DPoP switch', () => {
  it('takes the flag over KEYWAY_DPOP, which says no with 0, false, no or off', () => {
    expect(givenDpop(true, '0')).toEqual({ value: true, source: { kind: 'flag', flag: '--dpop' } })
    for (const no of ['0', 'false', ' Off ', 'NO']) {
      expect(givenDpop(undefined, no)).toEqual({
        value: false,
        source: { kind: 'env', variable: 'KEYWAY_DPOP' },
      })
    }
    expect(givenDpop(undefined, 'yes')?.value).toBe(true)
    expect(givenDpop(undefined, '')).toBeUndefined()
    expect(givenDpop(undefined, undefined)).toBeUndefined()
  })

  it('refuses a saved dpop that is not true or false', () => {
    expect(parseProfile({ dpop: true }, 'config.json')).toEqual({ dpop: true })
    expect(() => parseProfile({ dpop: 'yes' }, 'config.json')).toThrow(/dpop must be true or false/)
  })
})
