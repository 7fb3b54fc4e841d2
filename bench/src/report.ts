/** One figure: a JSON line on stdout, and a human line on stderr with its target. */
export function report(name: string, value: number, target: string): void {
  process.stdout.write(`${JSON.stringify({ name, value })}\n`)
  process.stderr.write(`  ${name.padEnd(22)} ${String(value).padStart(12)}   target ${target}\n`)
}
