const refusals = new Set(['0', 'false', 'no', 'off'])

/**
 * Reads a switch's `KEYWAY_*` variable: `0`, `false`, `no` and `off` (any case, blanks
 * around) say no, any other non-empty value yes; undefined when unset or empty.
 *
 * @example
 * switchVariable(' Off ') // false
 */
export function switchVariable(text: string | undefined): boolean | undefined {
  const word = text?.trim().toLowerCase()
  if (word === undefined || word === '') return undefined
  return !refusals.has(word)
}
