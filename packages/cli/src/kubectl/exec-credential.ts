import type { ServedIdToken } from '../id-token.js'
import { isoSeconds } from '../ui/time.js'

/** The `ExecCredential` API version kubectl ≥ 1.22 speaks, and the one Keyway answers in by default. */
export const EXEC_CREDENTIAL_V1 = 'client.authentication.k8s.io/v1'

/** The versions Keyway answers in: v1, and v1beta1 for kubectl before 1.22. */
const knownVersions: ReadonlySet<string> = new Set([
  EXEC_CREDENTIAL_V1,
  'client.authentication.k8s.io/v1beta1',
])

/** What kubectl says about the credential it wants, in `KUBERNETES_EXEC_INFO`. */
export interface ExecInfo {
  /** The `ExecCredential` version to answer in. */
  readonly apiVersion: string
  /** False when kubectl cannot let the plugin talk to the person; undefined when it did not say. */
  readonly interactive?: boolean
}

/**
 * Reads `KUBERNETES_EXEC_INFO`, the `ExecCredential` kubectl hands an exec plugin: the version
 * it asks for (v1 when the variable is absent, unreadable or names a version Keyway does not
 * know, as kubelogin does) and `spec.interactive`. Never throws.
 */
export function readExecInfo(env: Readonly<Record<string, string | undefined>>): ExecInfo {
  const text = env.KUBERNETES_EXEC_INFO
  if (text === undefined || text.trim() === '') return { apiVersion: EXEC_CREDENTIAL_V1 }
  let info: { apiVersion?: unknown; spec?: { interactive?: unknown } }
  try {
    info = JSON.parse(text)
  } catch {
    return { apiVersion: EXEC_CREDENTIAL_V1 }
  }
  const asked = typeof info?.apiVersion === 'string' ? info.apiVersion : ''
  const interactive = info?.spec?.interactive
  return {
    apiVersion: knownVersions.has(asked) ? asked : EXEC_CREDENTIAL_V1,
    ...(typeof interactive === 'boolean' ? { interactive } : {}),
  }
}

/**
 * The `ExecCredential` kubectl reads on the plugin's stdout: the ID token as `status.token`
 * and its expiry as `status.expirationTimestamp`, in the version kubectl asked for. kubectl
 * keeps it until then and runs the plugin again after.
 */
export function execCredential(info: ExecInfo, served: ServedIdToken): string {
  const credential = {
    apiVersion: info.apiVersion,
    kind: 'ExecCredential',
    status: { token: served.idToken, expirationTimestamp: isoSeconds(served.expiresAt) },
  }
  return `${JSON.stringify(credential)}\n`
}
