import { MACHINE_DOC_PATH } from './document.js'

/**
 * Fails, saying where and what to run, when the checked-in document differs from the one
 * the machine generates now.
 */
export function assertMachineDocCurrent(checkedIn: string, generated: string): void {
  if (checkedIn === generated) return
  const have = checkedIn.split('\n')
  const want = generated.split('\n')
  const line = want.findIndex((text, index) => have[index] !== text)
  const at = line === -1 ? have.length : line + 1
  throw new Error(
    `${MACHINE_DOC_PATH} is stale (it differs from the machine from line ${at} on): run \`pnpm run docs\`.`,
  )
}
