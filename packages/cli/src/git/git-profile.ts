import type { ConfigFile } from '../config/config-file.js'
import type { Sourced } from '../config/source.js'
import type { CredentialRequest } from './credential-request.js'

/**
 * The profile names that may serve git's request, most precise first: `host/path` (when git
 * sends the path, with `credential.useHttpPath`), then `host` (with its port, as git sends it).
 * Only `https` requests get any: a token is never sent in the clear.
 */
export function gitProfileCandidates(request: CredentialRequest): readonly string[] {
  const host = request.get('host')
  if (request.get('protocol') !== 'https' || host === undefined || host === '') return []
  const path = request
    .get('path')
    ?.replace(/\.git$/, '')
    .replace(/\/+$/, '')
  return path === undefined || path === '' ? [host] : [`${host}/${path}`, host]
}

/**
 * The profile that serves git's request, over `https` only: the one named by `--profile` or
 * `KEYWAY_PROFILE`, else the first of {@link gitProfileCandidates} saved in the config file; undefined when
 * none is (the helper then answers nothing, and git asks the next helper or the person).
 */
export function gitProfile(
  named: Sourced<string> | undefined,
  request: CredentialRequest,
  config: ConfigFile,
): Sourced<string> | undefined {
  if (request.get('protocol') !== 'https') return undefined
  if (named !== undefined) return named
  const found = gitProfileCandidates(request).find((name) => Object.hasOwn(config.profiles, name))
  if (found === undefined) return undefined
  return { value: found, source: { kind: 'default', detail: `git's request for ${found}` } }
}
