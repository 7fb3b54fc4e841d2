import { describe, expect, it } from 'vitest'
import { parseCredentialRequest } from '../src/git/credential-request.js'
import { gitProfile, gitProfileCandidates } from '../src/git/git-profile.js'

const request = (text: string) => parseCredentialRequest(text)
const config = (...names: string[]) => ({
  path: '/config.json',
  exists: true,
  profiles: Object.fromEntries(names.map((name) => [name, {}])),
})

describe("the profile for git's credential request", () => {
  it('is host/path, then host, when git sends the path (credential.useHttpPath)', () => {
    const asked = request('protocol=https\nhost=git.example.com:8443\npath=team/app.git\n\n')

    expect(gitProfileCandidates(asked)).toEqual([
      'git.example.com:8443/team/app',
      'git.example.com:8443',
    ])
    expect(gitProfile(undefined, asked, config('git.example.com:8443'))?.value).toBe(
      'git.example.com:8443',
    )
    expect(
      gitProfile(undefined, asked, config('git.example.com:8443', 'git.example.com:8443/team/app'))
        ?.value,
    ).toBe('git.example.com:8443/team/app')
  })

  it('is the profile named on the command line, whatever the host', () => {
    const named = { value: 'work', source: { kind: 'flag', flag: '--profile' } } as const
    const asked = request('protocol=https\nhost=elsewhere.example\n')

    expect(gitProfile(named, asked, config())).toBe(named)
  })

  it('is none for a host without a profile, or over plain http', () => {
    const named = { value: 'work', source: { kind: 'flag', flag: '--profile' } } as const

    expect(
      gitProfile(undefined, request('protocol=https\nhost=a.example\n'), config('b.example')),
    ).toBeUndefined()
    expect(
      gitProfile(named, request('protocol=http\nhost=a.example\n'), config('a.example')),
    ).toBeUndefined()
  })

  it('reads key=value lines up to the blank line', () => {
    expect([...request('protocol=https\nhost=a\n\nhost=b\n')]).toEqual([
      ['protocol', 'https'],
      ['host', 'a'],
    ])
  })
})
