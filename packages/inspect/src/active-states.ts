/**
 * Every active state's path in an xstate state value, parents first:
 * `{ authorized: 'waiting' }` → `['authorized', 'authorized.waiting']`. Only the value's
 * names are read, so nothing else of the snapshot can slip through.
 */
export function activeStates(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`]
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, child]) => [
    `${prefix}${key}`,
    ...activeStates(child, `${prefix}${key}.`),
  ])
}
