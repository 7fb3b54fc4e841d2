/** `text` as inline code. */
export function code(text: string): string {
  return `\`${text}\``
}

/** A table cell: pipes escaped (also inside code), line breaks as spaces. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}

/** A Markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

/** A fenced block. */
export function fenced(language: string, body: string): string {
  return `\`\`\`${language}\n${body}\n\`\`\``
}
