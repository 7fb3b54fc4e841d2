import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeSharedRefresh } from '@keyway/testing/store-contract'
import { fileStore } from '../src/index.js'

describeSharedRefresh('file store', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'keyway-file-shared-'))
  const options = { path: join(dir, 'tokens.json') }
  return {
    store: fileStore(options),
    child: {
      module: new URL('../dist/index.js', import.meta.url).href,
      factory: 'fileStore',
      options,
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  }
})
