/** Past this many characters the context's JSON is cut short: the page shows a summary. */
export const CONTEXT_LIMIT = 4_000

/**
 * The context as `JSON.stringify` writes it. Keyway keeps every secret of its context in a
 * `Sealed` box whose JSON is a summary, and its errors' JSON is their code and message, so
 * this is the redacted view; functions (the clock) are left out, as JSON does. A context
 * that cannot be written (a cycle, a BigInt) is shown as a note, never as the object.
 */
export function redactedJson(context: unknown): string {
  let json: string | undefined
  try {
    json = JSON.stringify(context, null, 2)
  } catch {
    return '"(the context cannot be written as JSON)"'
  }
  if (json === undefined) return 'undefined'
  return json.length > CONTEXT_LIMIT ? `${json.slice(0, CONTEXT_LIMIT)}\n… (cut short)` : json
}
