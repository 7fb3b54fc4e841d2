import type * as NodeCrypto from 'node:crypto'

/**
 * Node's `crypto`, loaded on first use: hashes and random names serve writes and locks, and a
 * program that only reads a valid token from the file never needs them. Imported at the top of
 * a module, it would cost every such program's start about 3 ms.
 */
export function nodeCrypto(): typeof NodeCrypto {
  return process.getBuiltinModule('node:crypto')
}
