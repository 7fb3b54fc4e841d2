import { createKeyway } from '@keyway/core'
import { fileStore } from '@keyway/store-file'

/**
 * What a short-lived program does when a valid token is already stored: import Keyway, read
 * the token from the file store, print it. Arguments: token file, issuer, client id.
 */
const [path, issuer, clientId] = process.argv.slice(2)
if (path === undefined || issuer === undefined || clientId === undefined) {
  throw new Error('usage: cold-token-process <token file> <issuer> <client id>')
}
const kw = createKeyway({ issuer, clientId, store: fileStore({ path }) })
const token = await kw.getAccessToken()
process.stdout.write(`${token.length > 0 ? 'token' : 'empty'}\n`)
kw.stop()
