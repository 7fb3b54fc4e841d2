/**
 * An event's type as a person reads it on the chart and in the log. xstate names its own
 * events at length: `xstate.done.actor.0.keyway.exchanging` is `done`,
 * `xstate.error.actor.…` is `error`, `xstate.after.untilRefresh.…` is `after untilRefresh`,
 * and `xstate.init` is `start`. The machine's own events keep their names (`login`).
 *
 * Shared by the server (the chart's transitions) and the page (the event log).
 */
export function eventLabel(type: string): string {
  if (type === 'xstate.init') return 'start'
  if (type === '') return 'always'
  if (type.startsWith('xstate.done.actor.')) return 'done'
  if (type.startsWith('xstate.error.actor.')) return 'error'
  const delayed = /^xstate\.after\.([^.]+)\./.exec(type)
  return delayed ? `after ${delayed[1]}` : type
}
