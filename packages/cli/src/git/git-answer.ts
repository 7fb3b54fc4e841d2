import type { TokenSet } from '@keyway/core'
import { getProvider } from '@keyway/providers'
import type { Settings } from '../config/settings.js'
import { formatCredential } from './credential-request.js'

/** The username when neither `--username` nor the provider's preset names one: GitLab's. */
const DEFAULT_GIT_USERNAME = 'oauth2'

/**
 * The answer to git's `get`: the username the forge expects (`--username`, else the preset's
 * `gitUsername`, else `oauth2`), the access token as the password, and when it expires
 * (`password_expiry_utc`, which git ≥ 2.41 heeds and older versions skip).
 */
export function gitCredentialAnswer(
  settings: Settings,
  tokens: TokenSet,
  username: string | undefined,
): string {
  const user = username ?? getProvider(settings.provider.value).gitUsername ?? DEFAULT_GIT_USERNAME
  return formatCredential({
    username: user,
    password: tokens.accessToken,
    ...(tokens.expiresAt === undefined
      ? {}
      : { password_expiry_utc: String(Math.floor(tokens.expiresAt / 1000)) }),
  })
}
