import type { TerminalStream } from '../io.js'

/** Ways to mark text up for a terminal; each is the identity when colors are off. */
export interface Style {
  readonly bold: (text: string) => string
  readonly dim: (text: string) => string
  readonly green: (text: string) => string
  readonly yellow: (text: string) => string
  readonly red: (text: string) => string
  readonly cyan: (text: string) => string
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
} as const satisfies Record<keyof Style, readonly [number, number]>

/**
 * True when text written to `stream` may carry colors: it is a terminal, `NO_COLOR` is unset
 * or empty (no-color.org), and `TERM` is not `dumb`. Piped output is always plain.
 */
export function colorsWanted(
  stream: TerminalStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== ''
  return stream.isTTY === true && !noColor && env.TERM !== 'dumb'
}

/** The style for one stream: ANSI colors when {@link colorsWanted}, plain text otherwise. */
export function styleFor(
  stream: TerminalStream,
  env: Readonly<Record<string, string | undefined>>,
): Style {
  const on = colorsWanted(stream, env)
  const entries = Object.entries(codes).map(([name, [open, close]]) => [
    name,
    on ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : (text: string) => text,
  ])
  return Object.fromEntries(entries) as unknown as Style
}
