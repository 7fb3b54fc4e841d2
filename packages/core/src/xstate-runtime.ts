import { createRequire } from 'node:module'

type XState = typeof import('xstate')

let loaded: XState | undefined

/**
 * xstate, loaded the first time Keyway's machine is needed. A program that only reads a
 * valid stored token never starts the machine, so it never pays for loading xstate.
 * `require` shares its instance with `import 'xstate'` (xstate's ESM entry wraps the same
 * CommonJS build), so the actor and anything an app builds around it speak to one xstate.
 */
export function xstate(): XState {
  loaded ??= createRequire(import.meta.url)('xstate') as XState
  return loaded
}
