import { release } from 'node:os'

/** What {@link detectEnvironment} looks at; tests pass their own. */
export interface EnvironmentFacts {
  /** The environment variables, as `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The operating system, as `process.platform`. */
  readonly platform: NodeJS.Platform
  /** The kernel release, as `os.release()`: WSL 1 shows itself only here. */
  readonly release?: string
}

/** Where the program runs, as far as opening a browser is concerned. */
export interface Environment {
  /** The person is logged in over SSH: a browser would open on this machine, not theirs. */
  readonly ssh: boolean
  /** A continuous-integration job: nobody is there to use a browser. */
  readonly ci: boolean
  /** Windows Subsystem for Linux: browsers are Windows programs, opened through Windows. */
  readonly wsl: boolean
  /** A graphical session is there to show a browser in. */
  readonly graphical: boolean
  /** True when trying to open a browser makes sense. */
  readonly canOpenBrowser: boolean
  /** Why a browser cannot be opened, as a phrase to show the person; absent when it can. */
  readonly reason?: string
}

/** Variables set by CI services that do not set `CI` itself, or set it to something odd. */
const ciVariables = [
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'BUILDKITE',
  'CIRCLECI',
  'TRAVIS',
  'JENKINS_URL',
  'TEAMCITY_VERSION',
  'TF_BUILD',
  'BITBUCKET_BUILD_NUMBER',
  'CODEBUILD_BUILD_ID',
] as const

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== ''
}

function isCi(env: EnvironmentFacts['env']): boolean {
  const ci = env.CI
  if (isSet(ci) && !['0', 'false', 'no'].includes(ci.toLowerCase())) return true
  return ciVariables.some((name) => isSet(env[name]))
}

const sshVariables = ['SSH_CONNECTION', 'SSH_CLIENT', 'SSH_TTY'] as const

/**
 * Every environment variable {@link detectEnvironment} reads to decide whether a browser can
 * be opened: CI services, SSH, WSL and the displays. Tests clear them to control the answer.
 */
export const environmentVariables: readonly string[] = [
  'CI',
  ...ciVariables,
  ...sshVariables,
  'WSL_DISTRO_NAME',
  'WSL_INTEROP',
  'DISPLAY',
  'WAYLAND_DISPLAY',
]

function isSsh(env: EnvironmentFacts['env']): boolean {
  return sshVariables.some((name) => isSet(env[name]))
}

function isWsl({ env, platform, release: kernel }: EnvironmentFacts): boolean {
  if (platform !== 'linux') return false
  return isSet(env.WSL_DISTRO_NAME) || isSet(env.WSL_INTEROP) || /microsoft/i.test(kernel ?? '')
}

/** macOS and Windows always have a desktop; other systems only with an X11 or Wayland display. */
function hasDisplay({ env, platform }: EnvironmentFacts, wsl: boolean): boolean {
  if (platform === 'darwin' || platform === 'win32' || wsl) return true
  return isSet(env.DISPLAY) || isSet(env.WAYLAND_DISPLAY)
}

function whyNoBrowser(found: Pick<Environment, 'ci' | 'ssh' | 'graphical'>): string | undefined {
  if (found.ci) return 'this is a CI job'
  if (found.ssh) return 'this is an SSH session'
  if (!found.graphical)
    return 'there is no graphical display (DISPLAY and WAYLAND_DISPLAY are not set)'
  return undefined
}

function currentFacts(): EnvironmentFacts {
  return { env: process.env, platform: process.platform, release: release() }
}

/**
 * Tells whether trying to open a browser makes sense here: not in CI, not over SSH (the
 * browser would open on the remote machine), not on Linux without `DISPLAY` or
 * `WAYLAND_DISPLAY`; under WSL a browser opens through Windows. Transports and the CLI use it
 * to choose their defaults; it only reads what it is given.
 *
 * @param facts - what to look at; this process's environment when left out.
 * @example
 * ```ts
 * import { detectEnvironment } from '@keyway/core'
 * const here = detectEnvironment()
 * if (!here.canOpenBrowser) console.error(`Not opening a browser: ${here.reason}.`)
 * ```
 */
export function detectEnvironment(facts: EnvironmentFacts = currentFacts()): Environment {
  const ci = isCi(facts.env)
  const ssh = isSsh(facts.env)
  const wsl = isWsl(facts)
  const graphical = hasDisplay(facts, wsl)
  const reason = whyNoBrowser({ ci, ssh, graphical })
  return {
    ssh,
    ci,
    wsl,
    graphical,
    canOpenBrowser: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
  }
}
