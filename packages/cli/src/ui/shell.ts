/** `value` as one word for a POSIX shell: as it is when that is safe, else single-quoted. */
export function shellWord(value: string): string {
  if (/^[\w./:@%+=,-]+$/.test(value)) return value
  return `'${value.replaceAll("'", `'\\''`)}'`
}
