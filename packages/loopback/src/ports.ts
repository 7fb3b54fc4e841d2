import { configError } from '@keyway/core'

/** An inclusive range of ports to try in order, for providers that only accept a few. */
export interface PortRange {
  /** The first port to try. */
  readonly from: number
  /** The last port to try (included). */
  readonly to: number
}

/** Which port to listen on: 0 (any free port, the default), a fixed port, or a range. */
export type PortChoice = number | PortRange

function isPort(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= 65_535
}

/**
 * Checks a port option and lists the ports to try, in order: `[0]` lets the system pick.
 */
export function portCandidates(choice: PortChoice): readonly number[] {
  if (typeof choice === 'number') {
    if (!isPort(choice, 0)) {
      throw configError(`loopback port must be an integer from 0 to 65535, not ${choice}.`)
    }
    return [choice]
  }
  const { from, to } = choice
  if (!isPort(from, 1) || !isPort(to, 1) || from > to) {
    throw configError(
      `loopback port range must be two integers from 1 to 65535 with from <= to, not ${from}–${to}.`,
    )
  }
  return Array.from({ length: to - from + 1 }, (_, index) => from + index)
}
