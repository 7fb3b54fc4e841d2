/** One line of a report: a label, a value, and where the value came from. */
export interface Row {
  readonly label: string
  readonly value: string
  readonly note?: string
}

/**
 * Lays rows out in aligned columns, one line each, the note (dimmed by `dim`) after the value:
 *
 * ```text
 * issuer     http://127.0.0.1:4000   from profile default
 * client id  keyway-native           from --client-id
 * ```
 */
export function table(rows: readonly Row[], dim: (text: string) => string = (t) => t): string {
  const labelWidth = Math.max(0, ...rows.map((row) => row.label.length))
  const valueWidth = Math.max(0, ...rows.filter((row) => row.note).map((row) => row.value.length))
  return rows
    .map((row) => {
      const label = row.label.padEnd(labelWidth)
      if (row.note === undefined) return `${label}  ${row.value}\n`
      return `${label}  ${row.value.padEnd(valueWidth)}  ${dim(row.note)}\n`
    })
    .join('')
}
