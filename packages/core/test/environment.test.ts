import { detectEnvironment, type EnvironmentFacts } from '@keyway/core'
import { describe, expect, it } from 'vitest'

const linuxDesktop: EnvironmentFacts = {
  env: { DISPLAY: ':0' },
  platform: 'linux',
  release: '6.8.0-45-generic',
}

/** A Linux desktop changed by `facts`, with `extra` variables added to its environment. */
function on(facts: Partial<EnvironmentFacts>, extra: Record<string, string> = {}) {
  const env = { ...(facts.env ?? linuxDesktop.env), ...extra }
  return detectEnvironment({ ...linuxDesktop, ...facts, env })
}

describe('detectEnvironment', () => {
  it('opens a browser on a Linux desktop', () => {
    expect(on({})).toEqual({
      ssh: false,
      ci: false,
      wsl: false,
      graphical: true,
      canOpenBrowser: true,
    })
  })

  it('accepts a Wayland display in place of X11', () => {
    expect(on({ env: { WAYLAND_DISPLAY: 'wayland-0' } }).canOpenBrowser).toBe(true)
  })

  it('does not open a browser on Linux without a display', () => {
    const here = on({ env: {} })
    expect(here.graphical).toBe(false)
    expect(here.canOpenBrowser).toBe(false)
    expect(here.reason).toMatch(/no graphical display/)
  })

  it.each(['SSH_CONNECTION', 'SSH_CLIENT', 'SSH_TTY'])('sees an SSH session by %s', (name) => {
    const here = on({}, { [name]: '10.0.0.2 51234 10.0.0.1 22' })
    expect(here.ssh).toBe(true)
    expect(here.canOpenBrowser).toBe(false)
    expect(here.reason).toBe('this is an SSH session')
  })

  it('does not open a browser over SSH even with X forwarding', () => {
    expect(on({}, { SSH_TTY: '/dev/pts/3', DISPLAY: 'localhost:10.0' }).canOpenBrowser).toBe(false)
  })

  it.each([
    ['CI', 'true'],
    ['CI', '1'],
    ['GITHUB_ACTIONS', 'true'],
    ['GITLAB_CI', 'true'],
    ['JENKINS_URL', 'https://ci.example.com/'],
    ['TF_BUILD', 'True'],
  ])('sees a CI job by %s=%s', (name, value) => {
    const here = on({}, { [name]: value })
    expect(here.ci).toBe(true)
    expect(here.canOpenBrowser).toBe(false)
    expect(here.reason).toBe('this is a CI job')
  })

  it.each(['false', '0', ''])('does not take CI=%j for a CI job', (value) => {
    expect(on({}, { CI: value }).ci).toBe(false)
  })

  it('sees WSL by its variables and opens the browser through Windows without a display', () => {
    const here = on({ env: { WSL_DISTRO_NAME: 'Ubuntu' } })
    expect(here).toMatchObject({ wsl: true, graphical: true, canOpenBrowser: true })
  })

  it('sees WSL 1 by its kernel release', () => {
    expect(on({ env: {}, release: '4.4.0-19041-Microsoft' }).wsl).toBe(true)
  })

  it('does not take a Windows or macOS kernel for WSL', () => {
    expect(on({ platform: 'win32', release: '10.0.22631' }).wsl).toBe(false)
    expect(on({ platform: 'darwin', release: 'Microsoft-like 23.1.0' }).wsl).toBe(false)
  })

  it.each(['darwin', 'win32'] as const)('opens a browser on %s without DISPLAY', (platform) => {
    expect(on({ platform, env: {} }).canOpenBrowser).toBe(true)
  })

  it('does not open a browser in WSL over SSH', () => {
    expect(on({ env: { WSL_INTEROP: '/run/WSL/1_interop', SSH_TTY: '/dev/pts/0' } })).toMatchObject(
      { wsl: true, ssh: true, canOpenBrowser: false },
    )
  })

  it('reads this process when given nothing', () => {
    const here = detectEnvironment()
    expect(here.canOpenBrowser).toBe(here.reason === undefined)
    expect(here.ci).toBe(detectEnvironment({ env: process.env, platform: process.platform }).ci)
  })
})
