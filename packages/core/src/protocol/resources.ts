import { configError } from '../errors.js'
import type { ProtocolSettings, ResourceParameter, ResourceParameterName } from './settings.js'

type ResourceSettings = Pick<ProtocolSettings, 'authorizationResources' | 'tokenResources'>

const none: ResourceSettings = { authorizationResources: [], tokenResources: [] }

/** An RFC 8707 resource indicator: an absolute URI without a fragment. */
function checkResourceUri(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch (cause) {
    throw configError('each resource must be an absolute URI.', cause)
  }
  if (url.hash !== '' || value.includes('#')) {
    throw configError('a resource must not carry a fragment (RFC 8707).')
  }
  return value
}

/**
 * Checks the `resource` option and says which requests carry it: RFC 8707 indicators go on
 * the authorization request and on every token request (the code exchange and each refresh);
 * an `audience` goes on the authorization request only.
 */
export function resolveResources(
  resource: string | readonly string[] | undefined,
  parameter: ResourceParameterName = 'resource',
): ResourceSettings {
  if (parameter !== 'resource' && parameter !== 'audience') {
    throw configError('resourceParameter must be resource or audience.')
  }
  if (resource === undefined) return none
  const values = typeof resource === 'string' ? [resource] : resource
  if (!Array.isArray(values) || values.length === 0) {
    throw configError('resource must be a string or a non-empty array of strings.')
  }
  for (const value of values) {
    if (typeof value !== 'string' || value.trim() === '') {
      throw configError('each resource must be a non-empty string.')
    }
  }
  if (parameter === 'audience') {
    if (values.length > 1) throw configError('an audience is one name: give one resource.')
    return { authorizationResources: [['audience', values[0]!]], tokenResources: [] }
  }
  const pairs: ResourceParameter[] = [...new Set(values)].map((value) => [
    'resource',
    checkResourceUri(value),
  ])
  return { authorizationResources: pairs, tokenResources: pairs }
}

/** Adds `resources` to a request's parameters. */
export function withResources(
  parameters: Record<string, string>,
  resources: readonly ResourceParameter[],
): URLSearchParams | Record<string, string> {
  if (resources.length === 0) return parameters
  const params = new URLSearchParams(parameters)
  for (const [name, value] of resources) params.append(name, value)
  return params
}
