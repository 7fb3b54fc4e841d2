import { requireProgram, type SecretService, startSecretService } from '@keyway/testing'
import { afterAll, beforeAll } from 'vitest'

const purpose = 'the keychain store tests (a private Secret Service)'

/** The programs a private Secret Service needs; undefined (with a printed reason) when one is missing. */
export const secretServicePrograms = (() => {
  const dbusDaemon = requireProgram('dbus-daemon', purpose)
  const dbusSend = requireProgram('dbus-send', purpose)
  const keyringDaemon = requireProgram('gnome-keyring-daemon', purpose)
  return dbusDaemon && dbusSend && keyringDaemon
    ? { dbusDaemon, dbusSend, keyringDaemon }
    : undefined
})()

/** Runs a private Secret Service (gnome-keyring on its own bus) for the test file. */
export function useSecretService() {
  let secrets: SecretService | undefined
  beforeAll(async () => {
    if (secretServicePrograms !== undefined)
      secrets = await startSecretService(secretServicePrograms)
  })
  afterAll(async () => {
    await secrets?.close()
  })
  return {
    get secrets(): SecretService {
      if (secrets === undefined) throw new Error('the Secret Service is not started')
      return secrets
    },
  }
}
