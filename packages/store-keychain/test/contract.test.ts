import { randomUUID } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type StoreKey, storeKeyId } from '@keyway/core'
import { describeTokenStore } from '@keyway/testing/store-contract'
import { findCredentialsAsync } from '@napi-rs/keyring'
import { beforeAll, describe } from 'vitest'
import { readValue } from '../src/chunked-value.js'
import { keychainStore } from '../src/index.js'
import { openEntry } from '../src/keyring.js'
import { secretServicePrograms, useSecretService } from './use-secret-service.js'

const service = `keyway-contract-${randomUUID()}`
const at = (key: StoreKey) =>
  ({ service, account: storeKeyId(key), backend: 'secret-service' }) as const

describe.skipIf(secretServicePrograms === undefined)('against a real Secret Service', () => {
  const keyring = useSecretService()
  let lockDir = ''
  beforeAll(async () => {
    lockDir = await mkdtemp(join(tmpdir(), 'keyway-keychain-locks-'))
  })
  // A small chunk size, so full token sets are split across entries as on Windows.
  describeTokenStore('keychain store', () => keychainStore({ service, lockDir, chunkSize: 200 }), {
    async readRaw(key) {
      const read = await readValue(at(key))
      return read.kind === 'value' ? JSON.parse(read.text) : undefined
    },
    async writeCorrupt(key, text) {
      await (await openEntry(service, storeKeyId(key), 'secret-service')).setPassword(text)
    },
    async countSetAside(key) {
      const credentials = await findCredentialsAsync(service)
      return credentials.filter((entry) => entry.account.startsWith(`${storeKeyId(key)}#corrupt#`))
        .length
    },
    atRest: () => keyring.secrets.atRest(),
  })
})
