import { minTtlMs } from '../commands/token-options.js'
import { freshIdToken } from '../id-token.js'
import { execCredential, readExecInfo } from '../kubectl/exec-credential.js'
import { ownValue, readCommandLine } from './command-line.js'
import type { StoredTokenRequest } from './stored-request.js'

/** The options of `keyway kubectl-credential` itself. */
export const kubectlCredentialOptions = {
  name: 'kubectl-credential',
  switches: new Map<string, string>(),
  values: new Map([['--min-ttl', 'minTtl']]),
}

/**
 * `keyway kubectl-credential` from the store: the `ExecCredential` of the stored ID token
 * when it has more than `--min-ttl` left, in the version `KUBERNETES_EXEC_INFO` asks for.
 * kubectl runs the plugin before every command whose credential it has not kept, so this is
 * the path it takes nearly always.
 */
export function kubectlCredentialRequest(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StoredTokenRequest | undefined {
  const line = readCommandLine(argv, env, kubectlCredentialOptions)
  if (line === undefined) return undefined
  const minTtl = ownValue(line, 'minTtl')
  return {
    common: line.common,
    answer: async ({ tokens, now }) => {
      const served = freshIdToken(tokens, now, minTtlMs(minTtl))
      return served === undefined ? undefined : execCredential(readExecInfo(env), served)
    },
  }
}
