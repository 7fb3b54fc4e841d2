import { writeFile } from 'node:fs/promises'
import { runProgram } from './run-program.js'

/** The `ExecCredential` versions, v1 from kubectl 1.22 on. */
export const EXEC_V1 = 'client.authentication.k8s.io/v1'
export const EXEC_V1BETA1 = 'client.authentication.k8s.io/v1beta1'

/**
 * The `ExecCredential` versions the installed kubectl speaks, newest first: v1 and v1beta1
 * from 1.22 on, v1beta1 alone before (Debian 12's `kubernetes-client` is 1.20).
 */
export async function execVersionsOf(kubectl: string): Promise<readonly string[]> {
  const printed = await runProgram(kubectl, ['version', '--client', '-o', 'json'], process.env)
  const minor = Number.parseInt(JSON.parse(printed.stdout).clientVersion.minor, 10)
  return minor >= 22 ? [EXEC_V1, EXEC_V1BETA1] : [EXEC_V1BETA1]
}

/** One kubeconfig user whose credential comes from an exec plugin. */
export interface ExecUser {
  readonly name: string
  readonly apiVersion: string
  readonly command: string
  readonly args: readonly string[]
}

/**
 * Writes a kubeconfig (JSON, which kubectl reads as YAML) at `path`: one cluster at `server`
 * trusting `caCert` (PEM), and a context per user, named after it.
 */
export async function writeKubeconfig(
  path: string,
  server: string,
  caCert: Buffer,
  users: readonly ExecUser[],
): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'local',
        cluster: { server, 'certificate-authority-data': caCert.toString('base64') },
      },
    ],
    users: users.map((user) => ({
      name: user.name,
      user: {
        exec: {
          apiVersion: user.apiVersion,
          command: user.command,
          args: user.args,
          // v1 requires it; v1beta1 before 1.22 knows no such field.
          ...(user.apiVersion === EXEC_V1 ? { interactiveMode: 'IfAvailable' } : {}),
        },
      },
    })),
    contexts: users.map((user) => ({
      name: user.name,
      context: { cluster: 'local', user: user.name },
    })),
    'current-context': users[0]?.name,
  }
  await writeFile(path, JSON.stringify(config, null, 2), { mode: 0o600 })
}
