import { release } from 'node:os'
import { detectEnvironment, type Environment } from '@keyway/core'

/** Whether a browser can be opened here, judged from `env` and this machine. */
export function environmentOf(env: Readonly<Record<string, string | undefined>>): Environment {
  return detectEnvironment({ env, platform: process.platform, release: release() })
}
